package tui_test

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strconv"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/tui"
)

// flowNow is the fixed clock of the flows.
func flowNow() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }

// startDemo runs the console over the real demo store (cycle.NewDemoBackend:
// the demo inventory judged by the real policies, with 90 days of history).
func startDemo(t *testing.T) *teatest.TestModel {
	t.Helper()
	b, err := cycle.NewDemoBackend(context.Background(), t.TempDir(), flowNow())
	if err != nil {
		t.Fatalf("demo backend: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	m := tui.New(b, tui.Options{Renderer: r, Now: flowNow})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(160, 48))
	t.Cleanup(func() { tm.Quit() })
	return tm
}

func waitFor(t *testing.T, tm *teatest.TestModel, what string, cond func([]byte) bool) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), cond, teatest.WithDuration(20*time.Second),
		teatest.WithCheckInterval(20*time.Millisecond))
	_ = what
}

func contains(s string) func([]byte) bool {
	return func(b []byte) bool { return bytes.Contains(b, []byte(s)) }
}

func key(tm *teatest.TestModel, t tea.KeyType) { tm.Send(tea.KeyMsg{Type: t}) }

func TestFlowDashboardSearchAssetBack(t *testing.T) {
	tm := startDemo(t)
	waitFor(t, tm, "dashboard", contains("overall"))
	tm.Type("/")
	waitFor(t, tm, "search", contains("matching lines"))
	tm.Type("acme")
	waitFor(t, tm, "hits", contains("asset"))
	key(tm, tea.KeyEnter)
	waitFor(t, tm, "asset 360", contains("1 Overview"))
	key(tm, tea.KeyEsc)
	waitFor(t, tm, "back in search", contains("Dashboard › Search"))
	key(tm, tea.KeyEsc)
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
}

var assetsCount = regexp.MustCompile(`(\d+) assets`)

func lastCount(b []byte) int {
	ms := assetsCount.FindAllSubmatch(b, -1)
	if len(ms) == 0 {
		return -1
	}
	n, _ := strconv.Atoi(string(ms[len(ms)-1][1]))
	return n
}

func TestFlowGroupSwitchChangesNumbers(t *testing.T) {
	tm := startDemo(t)
	var all int
	waitFor(t, tm, "dashboard", func(b []byte) bool { all = lastCount(b); return all > 0 })
	tm.Type("g")
	waitFor(t, tm, "picker", contains("Switch asset group"))
	tm.Type("region:eu")
	key(tm, tea.KeyEnter)
	waitFor(t, tm, "numbers of the region", func(b []byte) bool {
		n := lastCount(b)
		return bytes.Contains(b, []byte("group region:eu")) && n > 0 && n < all
	})
}

func TestFlowException(t *testing.T) {
	tm := startDemo(t)
	waitFor(t, tm, "dashboard", contains("overall"))
	tm.Type(":violations")
	key(tm, tea.KeyEnter)
	waitFor(t, tm, "violations", contains("violations  (F to filter"))
	tm.Type("e")
	waitFor(t, tm, "form", contains("Exception for"))
	tm.Type("accepted risk until the migration")
	key(tm, tea.KeyEnter)
	waitFor(t, tm, "saved", contains("exception added until 2026-12-25"))
}

func TestFlowScanStreamsProgress(t *testing.T) {
	tm := startDemo(t)
	waitFor(t, tm, "dashboard", contains("overall"))
	tm.Type("r")
	waitFor(t, tm, "progress", contains("units ·"))
	waitFor(t, tm, "done", contains("scan complete:"))
}
