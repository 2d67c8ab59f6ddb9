package tui

import (
	"sort"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
)

// assetsRow is one line of the assets dashboard and the list it opens.
type assetsRow struct {
	section string
	label   string
	count   int
	title   string
	pred    func(*asset.Summary) bool
}

// assetsPage is the assets dashboard: counts by type, account and region,
// and recommendations (unattached volumes and addresses, stopped instances,
// untagged resources); enter opens the matching asset list.
type assetsPage struct {
	base
	rows []assetsRow
	tbl  *table
}

func newAssetsPage(c *common) *assetsPage {
	p := &assetsPage{base: newBase(c)}
	p.tbl = newTable(c, []column{{title: "Section", width: 16}, {title: "Item", width: 30, flex: true}, {title: "Count", width: 8}})
	return p
}

// Title is the breadcrumb of the page.
func (p *assetsPage) Title() string { return "Assets" }

// Init starts the first load.
func (p *assetsPage) Init() tea.Cmd {
	b, group := p.c.b, p.c.group
	return p.load(func() (any, error) { return assetRows(b, group) })
}

// assetRows counts a group's assets and finds the recommendations. Only the
// few types a recommendation needs are read in full.
func assetRows(b Backend, group string) ([]assetsRow, error) {
	sums, err := b.Summaries(group)
	if err != nil {
		return nil, err
	}
	ids := func(match func(*asset.Asset) bool, typ string) map[string]bool {
		out := map[string]bool{}
		for i := range sums {
			if sums[i].Type != typ {
				continue
			}
			a, err := b.Asset(sums[i].ID)
			if err == nil && match(a) {
				out[a.ID] = true
			}
		}
		return out
	}
	attr := func(a *asset.Asset, k string) string { return asset.String(a.Attrs[k]) }
	unattachedVols := ids(func(a *asset.Asset) bool { return attr(a, "state") == "available" }, asset.TypeVolume)
	unattachedEIPs := ids(func(a *asset.Asset) bool { return attr(a, "attached") == "false" }, asset.TypeEIP)
	stopped := ids(func(a *asset.Asset) bool { return attr(a, "state") == "stopped" }, asset.TypeEC2Instance)
	untagged := cycle.Untagged
	in := func(m map[string]bool) func(*asset.Summary) bool {
		return func(s *asset.Summary) bool { return m[s.ID] }
	}
	nUntagged := 0
	for i := range sums {
		if untagged(&sums[i]) {
			nUntagged++
		}
	}
	rows := []assetsRow{
		{"all", "every asset in the group", len(sums), "All assets", nil},
		{"recommendation", "unattached volumes", len(unattachedVols), "Unattached volumes", in(unattachedVols)},
		{"recommendation", "unattached elastic IPs", len(unattachedEIPs), "Unattached addresses", in(unattachedEIPs)},
		{"recommendation", "stopped instances", len(stopped), "Stopped instances", in(stopped)},
		{"recommendation", "untagged resources", nUntagged, "Untagged", untagged},
	}
	rows = append(rows, countRows("type", sums, func(s *asset.Summary) string { return s.Type })...)
	rows = append(rows, countRows("account", sums, func(s *asset.Summary) string { return s.Account })...)
	rows = append(rows, countRows("region", sums, func(s *asset.Summary) string { return s.Region })...)
	return rows, nil
}

func countRows(section string, sums []asset.Summary, field func(*asset.Summary) string) []assetsRow {
	n := map[string]int{}
	for i := range sums {
		n[field(&sums[i])]++
	}
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if n[keys[i]] != n[keys[j]] {
			return n[keys[i]] > n[keys[j]]
		}
		return keys[i] < keys[j]
	})
	rows := make([]assetsRow, len(keys))
	for i, k := range keys {
		v := k
		rows[i] = assetsRow{section, k, n[k], section + " " + k,
			func(s *asset.Summary) bool { return field(s) == v }}
	}
	return rows
}

// Update handles results and keys.
func (p *assetsPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if d, ok := p.accept(msg); ok {
		p.rows = d.([]assetsRow)
		rows := p.rows
		p.tbl.SetRows(len(rows), func(i int) []string {
			return []string{rows[i].section, rows[i].label, itoa(rows[i].count)}
		})
		return p, nil
	}
	switch msg := msg.(type) {
	case groupChangedMsg, refreshMsg:
		return p, p.Init()
	case tea.KeyMsg:
		if used, cmd := p.tbl.Update(msg); used {
			return p, cmd
		}
		if key.Matches(msg, p.c.keys.Open) {
			if i := p.tbl.Selected(); i >= 0 {
				r := p.rows[i]
				return p, push(newAssetListPage(p.c, r.title, r.pred))
			}
		}
	}
	return p, nil
}

// Capturing reports whether typed text goes to an input.
func (p *assetsPage) Capturing() bool { return p.tbl.Capturing() }

// SetSize fits the component to its box.
func (p *assetsPage) SetSize(w, h int) {
	p.base.SetSize(w, h)
	p.tbl.SetSize(w, h-1)
}

// ShortHelp lists the footer key hints.
func (p *assetsPage) ShortHelp() []key.Binding { return p.listHelp() }

// FullHelp lists every binding for the help overlay.
func (p *assetsPage) FullHelp() [][]key.Binding { return p.fullList() }

// View draws the component.
func (p *assetsPage) View() string {
	head := p.c.st.Subtle.Render("counts and recommendations — enter lists the assets")
	if s := p.status(); s != "" {
		head = s
	}
	return head + "\n" + p.tbl.View()
}
