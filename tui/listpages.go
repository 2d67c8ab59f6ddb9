package tui

// The pages whose body is one of the shared lists (lister).

func (p *splitList) list() *table      { return p.tbl }
func (p *violationsPage) list() *table { return p.tbl }
func (p *policiesPage) list() *table   { return p.tbl }
func (p *exceptionsPage) list() *table { return p.tbl }
func (p *groupsPage) list() *table     { return p.tbl }
func (p *policyPage) list() *table     { return p.tbl }
func (p *assetListPage) list() *table  { return p.tbl }
func (p *assetsPage) list() *table     { return p.tbl }
