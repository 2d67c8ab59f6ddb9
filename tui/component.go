package tui

import (
	"log"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Component is a piece of the console: a model with its own key help that
// can be resized.
type Component interface {
	tea.Model
	help.KeyMap
	SetSize(width, height int)
}

// Page is a component on the page stack; Title is its breadcrumb.
type Page interface {
	Component
	Title() string
}

// common is one session's shared state, injected into every page: the
// backend, styles, keymap, logger, clock, size and the chosen asset group.
// It is only touched from the Update goroutine.
type common struct {
	b        Backend
	st       *Styles
	keys     *KeyMap
	r        *lipgloss.Renderer
	log      *log.Logger
	now      func() time.Time
	readOnly bool
	group    string
	domain   string
	gen      int // bumped on every group switch; async results carry it
	nextID   int
	recent   []string // groups chosen in this session, most recent first
	noTimers bool     // tests: no expiry timers, so every Cmd answers promptly
	// afterLoad is Options.AfterLoad (nil: nothing).
	afterLoad func()
}

// loaded tells the entry point that a load finished (see Options.AfterLoad).
func (c *common) loaded() {
	if c.afterLoad != nil {
		c.afterLoad()
	}
}

// newID returns a fresh page ID for routing async results.
func (c *common) newID() int {
	c.nextID++
	return c.nextID
}

// logf writes to the session's log file, never to the terminal.
func (c *common) logf(format string, args ...any) {
	if c.log != nil {
		c.log.Printf(format, args...)
	}
}

// renameRecent puts a renamed group's new name where its old one was in
// the recently used list.
func (c *common) renameRecent(from, to string) {
	out := c.recent[:0]
	for _, r := range c.recent {
		switch r {
		case from:
			out = append(out, to)
		case to: // already listed: keep the renamed entry's place only
		default:
			out = append(out, r)
		}
	}
	c.recent = out
}

// touchRecent moves a group to the front of the recently used list.
func (c *common) touchRecent(name string) {
	out := []string{name}
	for _, r := range c.recent {
		if r != name {
			out = append(out, r)
		}
	}
	if len(out) > 10 {
		out = out[:10]
	}
	c.recent = out
}

// after delivers msg after d, unless timers are off (tests).
func (c *common) after(d time.Duration, msg tea.Msg) tea.Cmd {
	if c.noTimers {
		return nil
	}
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}

// closer is embedded by overlays: close marks the overlay done and the root
// drops it right after the Update that closed it, so the next key already
// reaches the page below (no race with an async "close" message).
type closer struct{ closed bool }

// Closed reports whether the overlay has finished.
func (c *closer) Closed() bool { return c.closed }

func (c *closer) close() tea.Cmd {
	c.closed = true
	return nil
}
