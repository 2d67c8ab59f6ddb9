package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/asset"
)

// scansPage lists past scans with per-unit status and errors of the one
// under the cursor; r starts a scan now.
type scansPage struct {
	base
	items []asset.Scan
	tbl   *table
}

func newScansPage(c *common) *scansPage {
	p := &scansPage{base: newBase(c)}
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
	}
	return p, nil
}

// Capturing reports whether typed text goes to an input.
func (p *scansPage) Capturing() bool { return p.tbl.Capturing() }

// SetSize fits the component to its box.
func (p *scansPage) SetSize(w, h int) {
	p.base.SetSize(w, h)
	p.tbl.SetSize(w, max(3, h/2))
}

// ShortHelp lists the footer key hints.
func (p *scansPage) ShortHelp() []key.Binding { return []key.Binding{p.c.keys.Scan, p.c.keys.Filter} }

// FullHelp lists every binding for the help overlay.
func (p *scansPage) FullHelp() [][]key.Binding { return p.fullList(p.c.keys.Scan) }

// View draws the component.
func (p *scansPage) View() string {
	st := p.c.st
	head := st.Subtle.Render(itoa(len(p.items)) + " scans, newest first")
	if s := p.status(); s != "" {
		head = s
	}
	out := head + "\n" + p.tbl.View()
	i := p.tbl.Selected()
	if i < 0 {
		return out
	}
	var lines []string
	for _, u := range p.items[i].Units {
		l := fit(text(u.UnitKey.String()), 52) + " " + fit(text(u.Status), 9) + " " + padLeft(itoa(u.Assets), 5)
		if u.Error != "" {
			l = st.Bad.Render(l + "  " + text(u.Error))
		}
		lines = append(lines, l)
	}
	return out + "\n" + st.ColHeader.Render("units") + "\n" + strings.Join(lines, "\n")
}
