package tui

import (
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/sahilm/fuzzy"
	"github.com/vigil-sec/vigil/groups"
)

// groupPicker is the `g` overlay: fuzzy-find a group, recently used first;
// enter scopes the whole console to it.
type groupPicker struct {
	closer
	c      *common
	in     lineInput
	all    []groups.Group
	shown  []string
	cursor int
	err    error
}

type pickerGroupsMsg struct {
	groups []groups.Group
	err    error
}

func newGroupPicker(c *common) *groupPicker {
	in := newInput(c, "group ", "type to find")
	in.Focus()
	return &groupPicker{c: c, in: in}
}

// Init loads the groups.
func (g *groupPicker) Init() tea.Cmd {
	b := g.c.b
	return func() tea.Msg {
		gs, err := b.Groups()
		return pickerGroupsMsg{gs, err}
	}
}

// Capturing is always true: the picker takes typed text.
func (g *groupPicker) Capturing() bool { return true }

// order puts the current group first, then the recently used ones (most
// recent first), then the rest by name.
func (g *groupPicker) order() []string {
	rank := map[string]int{}
	for i, r := range g.c.recent {
		rank[r] = i + 2
	}
	rank[g.c.group] = 1
	names := make([]string, len(g.all))
	for i, x := range g.all {
		names[i] = x.Name
	}
	sort.SliceStable(names, func(i, j int) bool {
		ri, rj := rank[names[i]], rank[names[j]]
		switch {
		case ri != 0 && rj != 0:
			return ri < rj
		case ri != 0 || rj != 0:
			return ri != 0
		}
		return names[i] < names[j]
	})
	return names
}

func (g *groupPicker) refilter() {
	names := g.order()
	q := strings.TrimSpace(g.in.Value())
	if q == "" {
		g.shown = names
	} else {
		g.shown = g.shown[:0]
		for _, m := range fuzzy.Find(q, names) {
			g.shown = append(g.shown, m.Str)
		}
	}
	if g.cursor >= len(g.shown) {
		g.cursor = 0
	}
}

// Update moves, filters and picks.
func (g *groupPicker) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case pickerGroupsMsg:
		g.all, g.err = msg.groups, msg.err
		g.refilter()
		// Start on the current group (listed first): enter keeps the
		// scope, down then enter goes back to the group used before.
		g.cursor = 0
	case tea.KeyMsg:
		switch msg.Type {
		case tea.KeyEsc:
			return g, g.close()
		case tea.KeyUp, tea.KeyShiftTab:
			if g.cursor > 0 {
				g.cursor--
			}
			return g, nil
		case tea.KeyDown, tea.KeyTab:
			if g.cursor < len(g.shown)-1 {
				g.cursor++
			}
			return g, nil
		case tea.KeyEnter:
			if len(g.shown) == 0 {
				return g, nil
			}
			return g, tea.Batch(g.close(), cmdOf(switchGroupMsg{g.shown[g.cursor]}))
		}
		if g.in.Update(msg) {
			g.refilter()
		}
	}
	return g, nil
}

// SetSize fits the component to its box.
func (g *groupPicker) SetSize(w, h int) {}

// ShortHelp lists the footer key hints.
func (g *groupPicker) ShortHelp() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "switch group")),
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "move")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// FullHelp lists every binding for the help overlay.
func (g *groupPicker) FullHelp() [][]key.Binding { return [][]key.Binding{g.ShortHelp()} }

// View draws the component.
func (g *groupPicker) View() string {
	st := g.c.st
	w := 50
	lines := []string{st.Title.Render("Switch asset group"), fit(g.in.View(), w)}
	if g.err != nil {
		lines = append(lines, st.Bad.Render(fit("cannot list groups: "+text(g.err.Error()), w)))
	}
	broken := map[string]string{}
	for _, x := range g.all {
		if x.Broken != "" {
			broken[x.Name] = x.Broken
		}
	}
	for i, n := range g.shown {
		if i >= 12 {
			break
		}
		mark := "  "
		if n == g.c.group {
			mark = "• "
		}
		label := text(n)
		if why, ok := broken[n]; ok {
			label += " — broken: " + text(why)
		}
		l := fit("  "+mark+label, w)
		if _, ok := broken[n]; ok && i != g.cursor {
			l = st.Bad.Render(l)
		}
		if i == g.cursor {
			l = st.Selected.Render(fit("> "+mark+label, w))
		}
		lines = append(lines, l)
	}
	return st.Modal.Render(strings.Join(lines, "\n"))
}
