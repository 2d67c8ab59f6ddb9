package tui

import (
	"slices"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/vigil-sec/vigil/cycle"
)

// paletteCommands are the `:` commands, in display order.
func paletteCommands() []string {
	return []string{"assets", "policies", "violations", "exceptions", "groups", "scans", "export",
		"fixes", "dashboard", "group", "scan", "help", "quit", "changes"}
}

// palette is the `:` command line with completion (tab completes; group
// names complete after `:group `).
type palette struct {
	closer
	c      *common
	in     lineInput
	groups []string
	width  int
	sel    int
}

func newPalette(c *common) *palette {
	in := newInput(c, ":", "assets, policies, violations, group <name>, scan, quit…")
	in.Focus()
	return &palette{c: c, in: in}
}

type paletteGroupsMsg struct{ names []string }

// Init loads group names for completion.
func (p *palette) Init() tea.Cmd {
	b := p.c.b
	return func() tea.Msg {
		gs, err := b.Groups()
		if err != nil {
			return paletteGroupsMsg{}
		}
		names := make([]string, len(gs))
		for i, g := range gs {
			names[i] = g.Name
		}
		sort.Strings(names)
		return paletteGroupsMsg{names}
	}
}

// Capturing is always true: the palette takes typed text.
func (p *palette) Capturing() bool { return true }

// completions lists the candidates for the current text.
func (p *palette) completions() []string {
	v := strings.TrimLeft(p.in.Value(), " ")
	if rest, ok := strings.CutPrefix(v, "group "); ok {
		var out []string
		for _, g := range p.groups {
			if strings.HasPrefix(g, rest) {
				out = append(out, "group "+g)
			}
		}
		return out
	}
	var out []string
	for _, c := range paletteCommands() {
		if c == "scan" && !p.c.keys.Scan.Enabled() {
			continue // a read-only session or a viewer cannot scan: not offered
		}
		if strings.HasPrefix(c, v) {
			out = append(out, c)
		}
	}
	return out
}

// Update edits, completes and runs commands.
func (p *palette) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case paletteGroupsMsg:
		p.groups = msg.names
	case tea.KeyMsg:
		switch msg.Type {
		case tea.KeyEsc:
			return p, p.close()
		case tea.KeyTab, tea.KeyDown:
			if cs := p.completions(); len(cs) > 0 {
				if msg.Type == tea.KeyTab {
					p.tab(cs)
				} else {
					p.sel = (p.sel + 1) % len(cs)
				}
			}
			return p, nil
		case tea.KeyUp:
			if cs := p.completions(); len(cs) > 0 {
				p.sel = (p.sel + len(cs) - 1) % len(cs)
			}
			return p, nil
		case tea.KeyEnter:
			v := strings.TrimSpace(p.in.Value())
			cs := p.completions()
			if name, ok := strings.CutPrefix(v, "group "); ok {
				name = strings.TrimSpace(name)
				if p.groups != nil && !slices.Contains(p.groups, name) {
					if len(cs) == 0 {
						return p, toast(false, "no group named "+text(name)+" (g lists them)")
					}
					v = cs[p.sel%len(cs)]
				}
			} else if len(cs) > 0 && !isCommand(v) {
				v = cs[p.sel%len(cs)]
			}
			return p, tea.Batch(p.close(), p.run(v))
		}
		if p.in.Update(msg) {
			p.sel = 0
		}
	}
	return p, nil
}

// tab completes the longest prefix the candidates share; when that adds
// nothing it takes the highlighted candidate (so "gr" stops at "group",
// where both group and groups remain).
func (p *palette) tab(cs []string) {
	cur := strings.TrimLeft(p.in.Value(), " ")
	common := cs[0]
	for _, c := range cs[1:] {
		for !strings.HasPrefix(c, common) {
			common = common[:len(common)-1]
		}
	}
	if len(cs) > 1 && len(common) > len(cur) {
		p.in.SetValue(common)
		p.sel = 0
		return
	}
	p.complete(cs[p.sel%len(cs)])
}

func (p *palette) complete(s string) {
	if s == "group" || s == "export" {
		s += " "
	}
	p.in.SetValue(s)
	p.sel = 0
}

func isCommand(v string) bool {
	for _, c := range paletteCommands() {
		if c == v {
			return true
		}
	}
	return false
}

// run executes one command line.
func (p *palette) run(v string) tea.Cmd {
	c := p.c
	switch {
	case v == "quit" || v == "q":
		return tea.Quit
	case v == "help":
		return cmdOf(modalMsg{newHelpView(c, c.keys)})
	case v == "scan":
		if !c.keys.Scan.Enabled() {
			return toast(false, "scan is not available: "+c.keys.Disabled["scan"])
		}
		return cmdOf(startScanMsg{})
	case v == "export" || strings.HasPrefix(v, "export "):
		e, err := parseExport(strings.TrimPrefix(v, "export"))
		if err != nil {
			return toast(false, err.Error())
		}
		return cmdOf(e)
	case strings.HasPrefix(v, "group "):
		return cmdOf(switchGroupMsg{strings.TrimSpace(strings.TrimPrefix(v, "group "))})
	case v == "group":
		return cmdOf(modalMsg{newGroupPicker(c)})
	case v == "":
		return nil
	}
	if pg := pageFor(c, v); pg != nil {
		return jump(pg)
	}
	return toast(false, "unknown command :"+v)
}

// pageFor builds the page a palette command names.
func pageFor(c *common, name string) Page {
	switch name {
	case "assets":
		return newAssetsPage(c)
	case "policies":
		return newPoliciesPage(c)
	case "violations":
		return newViolationsPage(c, "")
	case "exceptions":
		return newExceptionsPage(c)
	case "groups":
		return newGroupsPage(c)
	case "scans":
		return newScansPage(c)
	case "fixes":
		return newFixesPage(c)
	case "dashboard":
		return newDashboard(c)
	case "changes":
		return newChangesPage(c, cycle.DiffOptions{})
	}
	return nil
}

// SetSize fits the component to its box.
func (p *palette) SetSize(w, h int) { p.width = w }

// ShortHelp lists the footer key hints.
func (p *palette) ShortHelp() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// FullHelp lists every binding for the help overlay.
func (p *palette) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// View draws the component.
func (p *palette) View() string {
	st := p.c.st
	w := 60
	lines := []string{fit(p.in.View(), w)}
	cs := p.completions()
	first := 0
	if len(cs) > 0 {
		first = max(0, p.sel%len(cs)-7) // keep the highlighted candidate in the 8 shown
	}
	for i := first; i < len(cs) && i < first+8; i++ {
		l := fit("  "+text(cs[i]), w)
		if i == p.sel%len(cs) {
			l = st.Selected.Render(fit("> "+text(cs[i]), w))
		}
		lines = append(lines, l)
	}
	return st.Modal.Render(strings.Join(lines, "\n"))
}

// Keys of the root keymap also satisfy help.KeyMap for the `:help` command.

// ShortHelp lists the global bindings.
func (k *KeyMap) ShortHelp() []key.Binding { return k.Global() }

// FullHelp lists global, navigation and action bindings.
func (k *KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.Nav(), {k.Fix, k.Exception, k.Copy, k.Toggle, k.Sort, k.Scan}}
}
