package tui

import (
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
)

// scansPage lists past scans with per-unit status and errors of the one
// under the cursor; r starts a scan now.
type scansPage struct {
	splitList
	items []asset.Scan
}

func newScansPage(c *common) *scansPage {
	p := &scansPage{splitList: splitList{base: newBase(c)}}
	p.tbl = newTable(c, []column{{title: "Started", width: 16}, {title: "Status", width: 9},
		{title: "Units", width: 7}, {title: "Failed", width: 6}, {title: "Source", width: 8}, {title: "By", width: 12, flex: true}})
	p.tbl.key = func(i int) string { return p.items[i].ID }
	p.tbl.empty = "no scans yet — press r"
	return p
}

// Title is the breadcrumb of the page.
func (p *scansPage) Title() string { return "Scans" }

// Init starts the first load.
func (p *scansPage) Init() tea.Cmd {
	b := p.c.b
	return p.load(func() (any, error) { return b.Scans(100) })
}

// Update handles results and keys.
func (p *scansPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if d, ok := p.accept(msg); ok {
		p.items = d.([]asset.Scan)
		xs := p.items
		p.tbl.SetRows(len(xs), func(i int) []string {
			s := &xs[i]
			ok, failed := s.Counts()
			return []string{shortTime(s.Started), s.Status, itoa(ok) + "/" + itoa(len(s.Units)), itoa(failed), s.Source, s.By}
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
		if key.Matches(msg, p.c.keys.Scan) {
			return p, cmdOf(startScanMsg{})
		}
		if i := p.tbl.Selected(); i >= 0 && key.Matches(msg, p.c.keys.Open) {
			return p, push(newChangesPage(p.c, cycle.DiffOptions{To: p.items[i].ID}))
		}
	}
	return p, nil
}

// ShortHelp lists the footer key hints.
func (p *scansPage) ShortHelp() []key.Binding {
	return []key.Binding{p.c.keys.Scan, changesKey(), p.c.keys.Filter}
}

// FullHelp lists every binding for the help overlay.
func (p *scansPage) FullHelp() [][]key.Binding { return p.fullList(p.c.keys.Scan) }

// View draws the component.
func (p *scansPage) View() string {
	st := p.c.st
	out, i := p.listView(st.Subtle.Render(itoa(len(p.items)) + " scans, newest first"))
	if i < 0 {
		return out
	}
	sc := &p.items[i]
	units := append([]asset.Unit(nil), sc.Units...)
	sort.SliceStable(units, func(a, b int) bool { return unitRank(&units[a]) < unitRank(&units[b]) })
	room := p.height - strings.Count(out, "\n") - 2
	lines := make([]string, 0, min(len(units), max(room, 0)))
	for j := range units {
		u := &units[j]
		l := fit(text(u.UnitKey.String()), 52) + " " + fit(text(u.Status), 9) + " " + padLeft(itoa(u.Assets), 5)
		more := []string{fit(l, p.width)}
		if u.Error != "" {
			more[0] = st.Bad.Render(more[0])
			wrapped := wrap(text(u.Error), max(p.width-4, 10))
			if len(wrapped) > 3 {
				wrapped = append(wrapped[:2], wrapped[2]+"…")
			}
			for _, w := range wrapped {
				more = append(more, st.Bad.Render(fit("    "+w, p.width)))
			}
		}
		if len(lines)+len(more) > room-1 && j < len(units)-1 || len(lines)+len(more) > room {
			lines = append(lines, st.Subtle.Render("… "+itoa(len(units)-j)+" more units"))
			break
		}
		lines = append(lines, more...)
	}
	_, failed := sc.Counts()
	title := "units"
	if failed > 0 {
		title += "  " + itoa(failed) + " failed of " + itoa(len(units)) + ", failed first"
	}
	return out + "\n" + st.ColHeader.Render(title) + "\n" + strings.Join(lines, "\n")
}

// unitRank puts failed units first, then units with an error, then the rest.
func unitRank(u *asset.Unit) int {
	switch {
	case u.Status == asset.UnitFailed:
		return 0
	case u.Error != "":
		return 1
	}
	return 2
}
