package tui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/groups"
)

// groupEditor creates or edits a stored group, showing the live member
// count of the criteria as they are typed.
type groupEditor struct {
	closer
	c      *common
	id     int
	isNew  bool
	orig   string      // the stored name being edited; a changed name renames
	fields []lineInput // name, types, match, expr
	field  int
	seq    int
	count  int
	cerr   string
	err    string
}

type groupCountMsg struct {
	editor, seq, n int
	err            error
}

func newGroupEditor(c *common, g groups.Group, isNew bool) *groupEditor {
	e := &groupEditor{c: c, id: c.newID(), isNew: isNew, count: -1}
	if !isNew {
		e.orig = g.Name
	}
	e.fields = []lineInput{
		newInput(c, "name   ", "prod-web"),
		newInput(c, "types  ", "aws.ec2.instance, aws.s3.bucket"),
		newInput(c, "match  ", "tags.Environment=prod|production account=123456789012"),
		newInput(c, "expr   ", "CEL over resource (optional)"),
	}
	e.fields[0].SetValue(g.Name)
	e.fields[1].SetValue(strings.Join(g.Types, ", "))
	var m []string
	for k, vs := range g.Match {
		m = append(m, k+"="+strings.Join(vs, "|"))
	}
	sort.Strings(m) // the same text every time the group is edited
	e.fields[2].SetValue(strings.Join(m, " "))
	e.fields[3].SetValue(g.Expr)
	e.fields[0].Focus()
	return e
}

// Capturing is always true: the editor takes typed text.
func (e *groupEditor) Capturing() bool { return true }

// group parses the fields.
func (e *groupEditor) group() (groups.Group, error) {
	g := groups.Group{Name: strings.TrimSpace(e.fields[0].Value()), Expr: strings.TrimSpace(e.fields[3].Value()), Source: "store"}
	for _, t := range strings.Split(e.fields[1].Value(), ",") {
		if t = strings.TrimSpace(t); t != "" {
			g.Types = append(g.Types, t)
		}
	}
	for _, f := range strings.Fields(e.fields[2].Value()) {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" || v == "" {
			return g, fmt.Errorf("match %q: use path=value|value", f)
		}
		if g.Match == nil {
			g.Match = map[string][]string{}
		}
		g.Match[k] = append(g.Match[k], strings.Split(v, "|")...)
	}
	return g, nil
}

// recount asks for the member count of the current criteria.
func (e *groupEditor) recount() tea.Cmd {
	g, err := e.group()
	if err != nil {
		e.cerr = err.Error()
		return nil
	}
	e.seq++
	b, id, seq := e.c.b, e.id, e.seq
	return func() tea.Msg {
		n, err := b.GroupCount(g)
		return groupCountMsg{id, seq, n, err}
	}
}

// Init starts the first load.
func (e *groupEditor) Init() tea.Cmd { return e.recount() }

// Update handles results and keys.
func (e *groupEditor) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case groupCountMsg:
		if msg.editor == e.id && msg.seq == e.seq {
			e.count, e.cerr = msg.n, ""
			if msg.err != nil {
				e.count, e.cerr = -1, msg.err.Error()
			}
		}
	case tea.KeyMsg:
		switch msg.Type {
		case tea.KeyEsc:
			return e, e.close()
		case tea.KeyTab, tea.KeyDown, tea.KeyShiftTab, tea.KeyUp:
			e.fields[e.field].Blur()
			d := 1
			if msg.Type == tea.KeyShiftTab || msg.Type == tea.KeyUp {
				d = len(e.fields) - 1
			}
			e.field = (e.field + d) % len(e.fields)
			e.fields[e.field].Focus()
			return e, nil
		case tea.KeyEnter:
			g, err := e.group()
			if err == nil && g.Name == "" {
				err = fmt.Errorf("a name is required")
			}
			if err != nil {
				e.err = err.Error()
				return e, nil
			}
			b, orig := e.c.b, e.orig
			if orig != "" && orig != g.Name {
				return e, tea.Sequence(e.close(), func() tea.Msg {
					if err := b.SaveGroup(g); err != nil {
						return toastMsg{ok: false, text: err.Error()}
					}
					if err := b.DeleteGroup(orig); err != nil {
						return toastMsg{ok: false, text: fmt.Sprintf("saved %s but could not remove the old name %s: %v", g.Name, orig, err)}
					}
					return groupRenamedMsg{from: orig, to: g.Name}
				})
			}
			return e, tea.Sequence(e.close(), actionCmd("group "+g.Name+" saved",
				func() error { return b.SaveGroup(g) }))
		}
		if e.fields[e.field].Update(msg) && e.field > 0 {
			return e, e.recount()
		}
	}
	return e, nil
}

// SetSize fits the component to its box.
func (e *groupEditor) SetSize(w, h int) {}

// ShortHelp lists the footer key hints.
func (e *groupEditor) ShortHelp() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// FullHelp lists every binding for the help overlay.
func (e *groupEditor) FullHelp() [][]key.Binding { return [][]key.Binding{e.ShortHelp()} }

// View draws the component.
func (e *groupEditor) View() string {
	st := e.c.st
	title := "Edit group"
	if e.isNew {
		title = "New group"
	}
	lines := []string{st.Title.Render(title)}
	for i := range e.fields {
		mark := "  "
		if i == e.field {
			mark = "> "
		}
		lines = append(lines, fit(mark+e.fields[i].View(), 72))
	}
	switch {
	case e.cerr != "":
		lines = append(lines, st.Bad.Render(fit("✗ "+text(e.cerr), 70)))
	case e.count >= 0:
		lines = append(lines, st.Good.Render(itoa(e.count)+" members"))
	default:
		lines = append(lines, st.Subtle.Render("counting…"))
	}
	if e.err != "" {
		lines = append(lines, st.Bad.Render(fit("✗ "+text(e.err), 70)))
	}
	return st.Modal.Render(strings.Join(lines, "\n"))
}
