package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/vigil-sec/vigil/cycle"
)

// liveEvery is how often a console looks whether another session, the
// schedule or a local command changed what it shows.
const liveEvery = 500 * time.Millisecond

// generationer is a backend that counts its changes (cycle.Backend).
type generationer interface{ Generation() uint64 }

// liveTickMsg carries the backend's change count at a tick, and the scan
// another session or the schedule is running (nil: none).
type liveTickMsg struct {
	gen    uint64
	remote *remoteScan
}

// remoteScan is a scan this session did not start: who did, and how far
// it is.
type remoteScan struct {
	by string
	p  cycle.Progress
}

// scanWatcher is a backend that shares the cycle's running scan.
type scanWatcher interface {
	RunningScan() (cycle.Progress, string, bool)
}

// liveTick polls the backend's change count; nil for a backend that keeps
// none.
func (m *Model) liveTick() tea.Cmd {
	g, ok := m.c.b.(generationer)
	if !ok {
		return nil
	}
	w, _ := m.c.b.(scanWatcher)
	return tea.Tick(liveEvery, func(time.Time) tea.Msg {
		msg := liveTickMsg{gen: g.Generation()}
		if w != nil {
			if p, by, ok := w.RunningScan(); ok {
				msg.remote = &remoteScan{by: by, p: p}
			}
		}
		return msg
	})
}

// onLiveTick refreshes every page when the change count moved since the
// last refresh, so a fix, exception or scan of another session shows
// within a second.
func (m *Model) onLiveTick(msg liveTickMsg) tea.Cmd {
	m.remote = msg.remote
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

// remoteStatus is the header's note of a scan another session or the
// schedule runs.
func (r *remoteScan) status(st *Styles) string {
	return st.Key.Render(scanLabel(r.p) + " (" + text(r.by) + ")")
}
