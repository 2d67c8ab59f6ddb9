package tui

import (
	"encoding/json"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/vigil-sec/vigil/fix"
)

// fixesPage is the fix audit trail: every applied, refused, failed and
// undone fix, newest first, with the calls and before/after of the one under
// the cursor; enter opens the asset.
type fixesPage struct {
	splitList
	items []fix.Record
}

func newFixesPage(c *common) *fixesPage {
	p := &fixesPage{splitList: splitList{base: newBase(c)}}
	p.tbl = newTable(c, []column{{title: "When", width: 16}, {title: "Action", width: 32}, {title: "Status", width: 8},
		{title: "By", width: 14}, {title: "Asset", width: 30, flex: true, middle: true}})
	p.tbl.key = func(i int) string { return p.items[i].ID }
	p.tbl.empty = "no fixes yet — press f on a violation"
	return p
}

// Title is the breadcrumb of the page.
func (p *fixesPage) Title() string { return "Fixes" }

// Init starts the first load.
func (p *fixesPage) Init() tea.Cmd {
	b := p.c.b
	return p.load(func() (any, error) { return b.FixRecords(500) })
}

// Update handles results and keys.
func (p *fixesPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if d, ok := p.accept(msg); ok {
		p.items = d.([]fix.Record)
		xs := p.items
		p.tbl.SetRows(len(xs), func(i int) []string {
			r := &xs[i]
			return []string{shortTime(r.At), r.Action, r.Status, r.By, r.AssetID}
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
		if i := p.tbl.Selected(); i >= 0 {
			switch {
			case key.Matches(msg, p.c.keys.Open):
				return p, push(newAssetPage(p.c, p.items[i].AssetID))
			case key.Matches(msg, p.c.keys.Undo):
				return p, cmdOf(modalMsg{newUndoDialog(p.c, p.items[i].ID)})
			}
		}
	}
	return p, nil
}

// ShortHelp lists the footer key hints.
func (p *fixesPage) ShortHelp() []key.Binding {
	return []key.Binding{p.c.keys.Open, p.c.keys.Undo, p.c.keys.Filter}
}

// FullHelp lists every binding for the help overlay.
func (p *fixesPage) FullHelp() [][]key.Binding { return p.fullList(p.c.keys.Open, p.c.keys.Undo) }

// View draws the list and the record under the cursor.
func (p *fixesPage) View() string {
	st := p.c.st
	out, i := p.listView(st.Subtle.Render(itoa(len(p.items)) + " fix records, newest first"))
	if i < 0 {
		return out
	}
	r := &p.items[i]
	lines := []string{st.ColHeader.Render("record " + text(r.ID)), "violation " + text(r.ViolationID) + "  policy " + text(r.PolicyID)}
	if r.UndoOf != "" {
		lines = append(lines, "undoes "+text(r.UndoOf))
	}
	if r.UndoneBy != "" {
		lines = append(lines, "undone by "+text(r.UndoneBy))
	}
	if r.Error != "" {
		lines = append(lines, st.Bad.Render("error: "+text(r.Error)))
	}
	for _, c := range r.Calls {
		b, _ := json.Marshal(c.Params)
		lines = append(lines, "call  "+text(c.Service+":"+c.Op+" "+string(b)))
	}
	if len(r.Before) > 0 {
		b, _ := json.Marshal(r.Before)
		lines = append(lines, "before "+text(string(b)))
	}
	if len(r.After) > 0 {
		b, _ := json.Marshal(r.After)
		lines = append(lines, "after  "+text(string(b)))
	}
	room := max(p.height-strings.Count(out, "\n")-2, 1)
	if len(lines) > room {
		lines = lines[:room]
	}
	for j := range lines {
		lines[j] = fit(lines[j], p.width)
	}
	return out + "\n" + strings.Join(lines, "\n")
}
