package cycle_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/tui"
)

// benchSource hands a fixed inventory to the cycle unit by unit.
type benchSource struct {
	units  []asset.UnitKey
	byUnit map[asset.UnitKey][]asset.Asset
}

func (s *benchSource) Units() []asset.UnitKey { return s.units }

func (s *benchSource) Run(_ context.Context, handle func(asset.Unit, []asset.Asset)) error {
	for _, u := range s.units {
		handle(asset.Unit{UnitKey: u, Status: asset.UnitComplete, Assets: len(s.byUnit[u])}, s.byUnit[u])
	}
	return nil
}

// drive runs the console's commands concurrently, as Bubble Tea does, and
// feeds their messages to Update until the view holds want (or 60 s pass).
func drive(m tea.Model, first tea.Cmd, want string) bool {
	msgs := make(chan tea.Msg, 64)
	var run func(tea.Cmd)
	run = func(cmd tea.Cmd) {
		if cmd != nil {
			go func() { msgs <- cmd() }()
		}
	}
	run(first)
	deadline := time.After(60 * time.Second)
	for {
		select {
		case msg := <-msgs:
			if batch, ok := msg.(tea.BatchMsg); ok {
				for _, c := range batch {
					run(c)
				}
				continue
			}
			if msg == nil {
				continue
			}
			var next tea.Cmd
			m, next = m.Update(msg)
			run(next)
			if strings.Contains(m.View(), want) {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

// BenchmarkFirstFrameRealStore100k is the time from opening the console on
// a real store of 100k demo assets (after a cycle) to the first dashboard
// frame that shows the asset count — the backend reads the store itself.
func BenchmarkFirstFrameRealStore100k(b *testing.B) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	st, err := db.Open(b.TempDir(), db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	clock := func() time.Time { return now }
	c, _, err := cycle.New(st, &config.Config{}, cycle.Deps{Now: clock})
	if err != nil {
		b.Fatal(err)
	}
	src := &benchSource{byUnit: map[asset.UnitKey][]asset.Asset{}}
	for _, a := range demo.Assets(3, 100_000, now) {
		r := a.Region
		if asset.GlobalTypes[a.Type] {
			r = asset.Global
		}
		u := asset.UnitKey{Account: a.Account, Region: r, Type: a.Type}
		if _, ok := src.byUnit[u]; !ok {
			src.units = append(src.units, u)
		}
		src.byUnit[u] = append(src.byUnit[u], a)
	}
	if _, err := c.Run(context.Background(), src, cycle.RunOptions{Source: "bench"}, nil); err != nil {
		b.Fatal(err)
	}
	n, _ := st.CountAssets()
	want := itoa(n) + " assets"
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		be := cycle.NewBackend(c, nil, "bench", true) // a new session: nothing cached
		r := lipgloss.NewRenderer(io.Discard)
		r.SetHasDarkBackground(true)
		m := tui.New(be, tui.Options{Renderer: r, Now: clock})
		m, _ = m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
		if !drive(m, m.Init(), want) {
			b.Fatalf("the dashboard never showed %q", want)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms-to-full-frame")
	}
}

func itoa(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}
