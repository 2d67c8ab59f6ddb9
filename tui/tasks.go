package tui

import (
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// toastTTL is how long a ✓/✗ note stays in the footer.
const toastTTL = 5 * time.Second

// taskArea is the footer's right side: a spinner per running background
// task and ✓/✗ toasts that expire.
type taskArea struct {
	c       *common
	spin    spinner.Model
	running map[int]string
	toasts  []toastItem
	nextID  int
}

type toastItem struct {
	id   int
	ok   bool
	text string
}

func newTaskArea(c *common) taskArea {
	return taskArea{
		c:       c,
		spin:    spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.st.Key)),
		running: map[int]string{},
	}
}

// start registers a running task and returns its ID and the spinner tick.
func (t *taskArea) start(label string) (int, tea.Cmd) {
	t.nextID++
	id := t.nextID
	first := len(t.running) == 0
	t.running[id] = label
	if first {
		return id, t.spin.Tick
	}
	return id, nil
}

// finish ends a task with a toast.
func (t *taskArea) finish(id int, ok bool, s string) tea.Cmd {
	delete(t.running, id)
	return t.toast(ok, s)
}

// toast adds a note that expires.
func (t *taskArea) toast(ok bool, s string) tea.Cmd {
	t.nextID++
	t.toasts = append(t.toasts, toastItem{id: t.nextID, ok: ok, text: s})
	if len(t.toasts) > 3 {
		t.toasts = t.toasts[len(t.toasts)-3:]
	}
	return t.c.after(toastTTL, toastExpireMsg{t.nextID})
}

// clearToasts drops the notes of the page being left, so they do not
// follow the operator to the next one (running tasks keep their spinner).
func (t *taskArea) clearToasts() { t.toasts = nil }

// Update handles spinner ticks and expiries.
func (t *taskArea) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if len(t.running) == 0 {
			return nil
		}
		var cmd tea.Cmd
		t.spin, cmd = t.spin.Update(msg)
		return cmd
	case toastExpireMsg:
		for i, x := range t.toasts {
			if x.id == msg.id {
				t.toasts = append(t.toasts[:i], t.toasts[i+1:]...)
				break
			}
		}
	}
	return nil
}

// View draws running tasks then toasts, newest last.
func (t *taskArea) View() string {
	st := t.c.st
	var parts []string
	ids := make([]int, 0, len(t.running))
	for id := range t.running {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		parts = append(parts, t.spin.View()+" "+text(t.running[id]))
	}
	for _, x := range t.toasts {
		if x.ok {
			parts = append(parts, st.Good.Render("✓ "+text(x.text)))
		} else {
			parts = append(parts, st.Bad.Render("✗ "+text(x.text)))
		}
	}
	return strings.Join(parts, "  ")
}
