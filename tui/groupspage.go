package tui

import (
	"sort"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/groups"
)

// groupsPage lists asset groups with their criteria and member counts;
// n creates, E edits, D deletes (stored groups only), enter switches to it.
type groupsPage struct {
	base
	items  []groups.Group
	counts map[string]int
	tbl    *table
}

type groupsData struct {
	items  []groups.Group
	counts map[string]int
}

func newGroupsPage(c *common) *groupsPage {
	p := &groupsPage{base: newBase(c)}
	p.tbl = newTable(c, []column{{title: "Group", width: 22, flex: true}, {title: "Source", width: 8},
		{title: "Members", width: 7}, {title: "Criteria", width: 30, flex: true}})
	p.tbl.key = func(i int) string { return p.items[i].Name }
	return p
}

// Title is the breadcrumb of the page.
func (p *groupsPage) Title() string { return "Groups" }

// Init starts the first load.
func (p *groupsPage) Init() tea.Cmd {
	b := p.c.b
	return p.load(func() (any, error) {
		shared, err := b.Groups()
		if err != nil {
			return nil, err
		}
		gs := append([]groups.Group(nil), shared...)
		sort.SliceStable(gs, func(i, j int) bool { return gs[i].Name < gs[j].Name })
		counts := map[string]int{}
		for _, g := range gs {
			if n, err := b.GroupCount(g); err == nil {
				counts[g.Name] = n
			}
		}
		return groupsData{gs, counts}, nil
	})
}

// criteria renders a group's selection in one line, or why it is broken.
func criteria(g groups.Group) string {
	if g.Broken != "" {
		return "BROKEN: " + g.Broken
	}
	return groups.Describe(g)
}

// Update handles results and keys.
func (p *groupsPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if d, ok := p.accept(msg); ok {
		gd := d.(groupsData)
		p.items, p.counts = gd.items, gd.counts
		p.tbl.SetRows(len(p.items), func(i int) []string {
			g := p.items[i]
			return []string{g.Name, g.Source, itoa(p.counts[g.Name]), criteria(g)}
		})
		return p, nil
	}
	switch msg := msg.(type) {
	case refreshMsg:
		return p, p.Init()
	case tea.KeyMsg:
		if used, cmd := p.tbl.Update(msg); used {
			return p, cmd
		}
		k := p.c.keys
		i := p.tbl.Selected()
		switch {
		case key.Matches(msg, k.Open) && i >= 0:
			return p, cmdOf(switchGroupMsg{p.items[i].Name})
		case key.Matches(msg, k.New):
			return p, cmdOf(modalMsg{newGroupEditor(p.c, groups.Group{}, true)})
		case key.Matches(msg, k.Edit) && i >= 0:
			if p.items[i].Builtin || (p.items[i].Source != "" && p.items[i].Source != "store") {
				return p, toast(false, "only groups made here can be edited; this one comes from "+p.items[i].Source)
			}
			return p, cmdOf(modalMsg{newGroupEditor(p.c, p.items[i], false)})
		case key.Matches(msg, k.Delete) && i >= 0:
			g := p.items[i]
			if g.Builtin || (g.Source != "" && g.Source != "store") {
				return p, toast(false, "only groups made here can be deleted")
			}
			b := p.c.b
			return p, cmdOf(modalMsg{newConfirm(p.c, "Delete group "+g.Name+"?", func() tea.Msg {
				if err := b.DeleteGroup(g.Name); err != nil {
					return toastMsg{ok: false, text: err.Error()}
				}
				return groupDeletedMsg{g.Name}
			})})
		}
	}
	return p, nil
}

// Capturing reports whether typed text goes to an input.
func (p *groupsPage) Capturing() bool { return p.tbl.Capturing() }

// Esc clears an applied filter before esc closes the page.
func (p *groupsPage) Esc() bool { return p.tbl.ClearFilter() }

// SetSize fits the component to its box.
func (p *groupsPage) SetSize(w, h int) {
	p.base.SetSize(w, h)
	p.tbl.SetSize(w, h-1)
}

// ShortHelp lists the footer key hints.
func (p *groupsPage) ShortHelp() []key.Binding {
	k := p.c.keys
	return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "switch to")), k.New, k.Edit, k.Delete}
}

// FullHelp lists every binding for the help overlay.
func (p *groupsPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return p.fullList(k.New, k.Edit, k.Delete)
}

// View draws the component.
func (p *groupsPage) View() string {
	head := p.c.st.Subtle.Render(itoa(len(p.items)) + " groups; current: " + text(p.c.group))
	if s := p.status(); s != "" {
		head = s
	}
	return head + "\n" + p.tbl.View()
}
