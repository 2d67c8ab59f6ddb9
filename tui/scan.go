package tui

import (
	"context"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/cycle"
)

// progressEvery is how often scan progress reaches the UI (~10/s).
const progressEvery = 100 * time.Millisecond

// startScanMsg asks the root to run a scan cycle now.
type startScanMsg struct{}

// scanProgressMsg is the latest progress of the running cycle.
type scanProgressMsg struct{ p cycle.Progress }

// scanDoneMsg ends the running cycle.
type scanDoneMsg struct {
	res *cycle.Result
	err error
}

// scanTask is the one running cycle of a session: progress arrives through a
// channel that keeps only the newest report, read by a re-arming Cmd.
type scanTask struct {
	id     int
	last   cycle.Progress
	ch     chan cycle.Progress
	done   chan scanDoneMsg
	cancel context.CancelFunc
}

// startScan launches RunCycle off the UI goroutine.
func (m *Model) startScan() tea.Cmd {
	if m.c.readOnly {
		return m.tasks.toast(false, "read-only session: scans are not available")
	}
	if m.scan != nil {
		return m.tasks.toast(false, "a scan is already running")
	}
	ctx, cancel := context.WithCancel(context.Background())
	t := &scanTask{ch: make(chan cycle.Progress, 1), done: make(chan scanDoneMsg, 1), cancel: cancel}
	id, tick := m.tasks.start("scanning")
	t.id = id
	m.scan = t
	b := m.c.b
	go func() {
		res, err := b.RunCycle(ctx, func(p cycle.Progress) { offerLatest(t.ch, p) })
		t.done <- scanDoneMsg{res, err}
	}()
	return tea.Batch(tick, t.wait())
}

// offerLatest puts p in a one-slot channel, replacing an unread older report.
func offerLatest(ch chan cycle.Progress, p cycle.Progress) {
	for {
		select {
		case ch <- p:
			return
		default:
			select {
			case <-ch:
			default:
			}
		}
	}
}

// wait is the re-arming Cmd: after a pause it returns the newest progress or
// the end of the cycle.
func (t *scanTask) wait() tea.Cmd {
	return func() tea.Msg {
		time.Sleep(progressEvery)
		select {
		case d := <-t.done:
			return d
		case p := <-t.ch:
			return scanProgressMsg{p}
		}
	}
}

func (m *Model) updateScan(msg tea.Msg) tea.Cmd {
	t := m.scan
	if t == nil {
		return nil
	}
	switch msg := msg.(type) {
	case scanProgressMsg:
		t.last = msg.p
		m.tasks.running[t.id] = scanLabel(msg.p)
		return t.wait()
	case scanDoneMsg:
		t.cancel()
		m.scan = nil
		if msg.err != nil {
			m.c.logf("scan failed: %v", msg.err)
			return tea.Batch(m.tasks.finish(t.id, false, "scan failed: "+msg.err.Error()), cmdOf(refreshMsg{}))
		}
		s := "scan done"
		if r := msg.res; r != nil {
			s = fmt.Sprintf("scan done: %d opened, %d closed", r.Opened, r.Closed)
			if r.Scan != nil {
				s = "scan " + r.Scan.Status + fmt.Sprintf(": %d opened, %d closed", r.Opened, r.Closed)
			}
		}
		if msg.res != nil && msg.res.Scan != nil {
			s += " · :changes lists them"
		}
		return tea.Batch(m.tasks.finish(t.id, true, s), cmdOf(refreshMsg{}))
	}
	return nil
}

func scanLabel(p cycle.Progress) string {
	switch p.Phase {
	case cycle.PhaseScan, "":
		s := fmt.Sprintf("scanning %d/%d units · %d assets", p.Done, p.Total, p.Assets)
		if r := p.Requests; r != nil {
			s += fmt.Sprintf(" · %d req, %d/%d in flight, %d throttled", r.Done, r.InFlight, r.Max, r.Throttled)
		}
		return s
	default:
		return p.Phase + "…"
	}
}

func (t *scanTask) status(st *Styles) string {
	return st.Key.Render(scanLabel(t.last))
}
