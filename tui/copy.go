package tui

import (
	"time"

	osc52 "github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"
)

// copyMsg asks the root to put text on the operator's clipboard.
type copyMsg struct {
	text string
	note string // the status line's words ("" says "copied TEXT")
}

// copyClearMsg drops the OSC52 sequence from the frame once it was drawn.
type copyClearMsg struct{ n int }

// copyToClipboard arms an OSC52 sequence that the next frame carries to the
// terminal through the program's own output — so it works over SSH, where
// the operator's terminal (not the server) owns the clipboard.
func (m *Model) copyToClipboard(s, note string) tea.Cmd {
	m.osc = osc52.New(s).String()
	m.oscN++
	n := m.oscN
	if note == "" {
		note = "copied " + text(s)
	}
	return tea.Batch(
		m.tasks.toast(true, note),
		m.c.after(250*time.Millisecond, copyClearMsg{n}))
}
