package serve

import (
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// idleModel wraps a console and notes when its user last pressed a key,
// clicked or resized the window.
type idleModel struct {
	tea.Model
	last *atomic.Int64 // unix nanoseconds of the last input
}

// Update records input and hands every message to the console.
func (m idleModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case tea.KeyMsg, tea.MouseMsg, tea.WindowSizeMsg:
		m.last.Store(time.Now().UnixNano())
	}
	inner, cmd := m.Model.Update(msg)
	m.Model = inner
	return m, cmd
}

// watchIdle quits the console when no input came for timeout, marking the
// session so the server says why it closed. It ends when done closes.
func watchIdle(ss *Session, p *tea.Program, last *atomic.Int64, timeout time.Duration, done <-chan struct{}) {
	every := min(max(timeout/10, 100*time.Millisecond), time.Second)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			if time.Since(time.Unix(0, last.Load())) >= timeout {
				ss.mu.Lock()
				ss.idle = timeout
				ss.mu.Unlock()
				p.Quit()
				return
			}
		}
	}
}
