package tui

// splitList is the shape of a page that lists records in its upper half and
// details the one under the cursor below (scans, fixes): a base plus its
// table, with the table's filter keys and sizing.
type splitList struct {
	base
	tbl *table
}

// Capturing reports whether typed text goes to an input.
func (p *splitList) Capturing() bool { return p.tbl.Capturing() }

// Esc clears an applied filter before esc closes the page.
func (p *splitList) Esc() bool { return p.tbl.ClearFilter() }

// SetSize fits the page to its box: the table takes the upper half.
func (p *splitList) SetSize(w, h int) {
	p.base.SetSize(w, h)
	p.tbl.SetSize(w, max(3, h/2))
}

// listView draws head (or the load status while one shows) above the table
// and returns it with the row under the cursor (-1 when none).
func (p *splitList) listView(head string) (string, int) {
	if s := p.status(); s != "" {
		head = s
	}
	return head + "\n" + p.tbl.View(), p.tbl.Selected()
}
