package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// scheduleMsg is the config schedule's tick: time for a background scan.
type scheduleMsg struct{}

// scheduleTick arms the next scheduled scan; none when the schedule is off
// or the session is read-only.
func (m *Model) scheduleTick() tea.Cmd {
	if m.every <= 0 || m.c.readOnly {
		return nil
	}
	return tea.Tick(m.every, func(time.Time) tea.Msg { return scheduleMsg{} })
}

// onSchedule starts a scan unless one is running, and re-arms the tick.
func (m *Model) onSchedule() tea.Cmd {
	if m.scan != nil {
		return m.scheduleTick()
	}
	return tea.Batch(m.startScan(), m.scheduleTick())
}
