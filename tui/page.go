package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// loadedMsg carries a page's data back from a Cmd. It is dropped unless
// page and generation still match (the operator may have switched group).
type loadedMsg struct {
	page int
	gen  int
	data any
}

// base holds what every page shares: the session, its routing ID, size,
// load state and the last error.
type base struct {
	c       *common
	id      int
	width   int
	height  int
	loading bool
	err     error
}

func newBase(c *common) base { return base{c: c, id: c.newID(), loading: true} }

// load runs fn off the UI goroutine and returns its result as a loadedMsg
// stamped with this page and the current generation.
func (p *base) load(fn func() (any, error)) tea.Cmd {
	id, gen, c := p.id, p.c.gen, p.c
	p.loading = true
	return func() tea.Msg {
		d, err := fn()
		if err != nil {
			return errMsg{page: id, gen: gen, err: err}
		}
		c.loaded()
		return loadedMsg{page: id, gen: gen, data: d}
	}
}

// accept reports whether msg is a current result for this page, recording
// errors; it returns the data of a loadedMsg.
func (p *base) accept(msg tea.Msg) (any, bool) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.page != p.id || msg.gen != p.c.gen {
			return nil, false
		}
		p.loading, p.err = false, nil
		return msg.data, true
	case errMsg:
		if msg.page == p.id && msg.gen == p.c.gen {
			p.loading, p.err = false, msg.err
			p.c.logf("page load: %v", msg.err)
		}
	}
	return nil, false
}

// SetSize records the page's box.
func (p *base) SetSize(w, h int) { p.width, p.height = w, h }

// status is the line shown while loading or after a failed load.
func (p *base) status() string {
	switch {
	case p.err != nil:
		return p.c.st.Bad.Render("✗ " + text(p.err.Error()))
	case p.loading:
		return p.c.st.Subtle.Render("loading…")
	}
	return ""
}

// listHelp is the help of a page that is mostly a table.
func (p *base) listHelp(extra ...key.Binding) []key.Binding {
	k := p.c.keys
	return append([]key.Binding{k.Open, k.Filter}, extra...)
}

// fullList is the full help of a list page.
func (p *base) fullList(extra ...key.Binding) [][]key.Binding {
	return [][]key.Binding{p.c.keys.Nav(), extra}
}
