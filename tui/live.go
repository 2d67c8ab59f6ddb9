package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// liveEvery is how often a console looks whether another session, the
// schedule or a local command changed what it shows.
const liveEvery = 500 * time.Millisecond

// generationer is a backend that counts its changes (cycle.Backend).
type generationer interface{ Generation() uint64 }

// liveTickMsg carries the backend's change count at a tick.
type liveTickMsg struct{ gen uint64 }

// liveTick polls the backend's change count; nil for a backend that keeps
// none.
func (m *Model) liveTick() tea.Cmd {
	g, ok := m.c.b.(generationer)
	if !ok {
		return nil
	}
	return tea.Tick(liveEvery, func(time.Time) tea.Msg { return liveTickMsg{g.Generation()} })
}

// onLiveTick refreshes every page when the change count moved since the
// last refresh, so a fix, exception or scan of another session shows
// within a second.
func (m *Model) onLiveTick(msg liveTickMsg) tea.Cmd {
	if msg.gen == m.seenGen {
		return m.liveTick()
	}
	m.seenGen = msg.gen
	return tea.Batch(cmdOf(refreshMsg{}), m.liveTick())
}

// markSeen records the change count a refresh caused by this session
// already shows.
func (m *Model) markSeen() {
	if g, ok := m.c.b.(generationer); ok {
		m.seenGen = g.Generation()
	}
}
