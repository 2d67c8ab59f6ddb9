package tui

import (
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// shortHelp renders enabled bindings as "key desc" pairs for the footer.
func shortHelp(c *common, bs []key.Binding) string {
	parts := make([]string, 0, len(bs))
	for _, b := range bs {
		if !b.Enabled() {
			continue
		}
		h := b.Help()
		parts = append(parts, c.st.Key.Render(h.Key)+" "+c.st.KeyDesc.Render(h.Desc))
	}
	return strings.Join(parts, c.st.Subtle.Render(" · "))
}

// helpView is the `?` overlay: every binding of the page and the console,
// generated from the keymap, plus the actions this session does not have.
type helpView struct {
	closer
	c      *common
	page   help.KeyMap
	width  int
	height int
}

func newHelpView(c *common, page help.KeyMap) *helpView { return &helpView{c: c, page: page} }

// Init starts the first load.
func (h *helpView) Init() tea.Cmd { return nil }

// Update handles results and keys.
func (h *helpView) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyMsg); ok {
		return h, h.close()
	}
	return h, nil
}

// SetSize fits the component to its box.
func (h *helpView) SetSize(w, hh int) { h.width, h.height = w, hh }

// ShortHelp lists the footer key hints.
func (h *helpView) ShortHelp() []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("any key", "close"))}
}

// FullHelp lists every binding for the help overlay.
func (h *helpView) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }

// View draws the component.
func (h *helpView) View() string {
	st := h.c.st
	hm := help.New()
	hm.Styles.FullKey = st.Key
	hm.Styles.FullDesc = st.KeyDesc
	hm.Styles.FullSeparator = st.Subtle
	hm.Styles.Ellipsis = st.Subtle
	hm.FullSeparator = "    "
	hm.Width = h.width - 6
	groups := append([][]key.Binding{h.c.keys.Global()}, h.page.FullHelp()...)
	out := st.Title.Render("Keys") + "\n\n" + hm.FullHelpView(groups)
	if len(h.c.keys.Disabled) > 0 {
		var names []string
		for n := range h.c.keys.Disabled {
			names = append(names, n)
		}
		sort.Strings(names)
		note := "not available: " + strings.Join(names, ", ") + " (" + h.c.keys.Disabled[names[0]] + ")"
		out += "\n"
		for _, l := range wrap(note, min(70, max(20, h.width-8))) {
			out += "\n" + st.Warn.Render(l)
		}
	}
	return st.Modal.Render(out)
}
