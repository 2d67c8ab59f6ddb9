package cycle_test

import (
	"context"
	"io"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/groups"
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
// settle waits for the commands still running when it returned, so they do
// not spill into the next measurement.
func drive(m tea.Model, first tea.Cmd, want string) (ok bool, settle func()) {
	msgs := make(chan tea.Msg, 64)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	run := func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case msgs <- cmd():
			case <-stop:
			}
		}()
	}
	settle = func() { close(stop); wg.Wait() }
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
				return true, settle
			}
		case <-deadline:
			return false, settle
		}
	}
}

// BenchmarkFirstFrameRealStore100k is the time from opening the console on
// a real store of 100k demo assets (after a cycle) to the first dashboard
// frame that shows the asset count — the backend reads the store itself.
// "computed": something was written since the last dashboard (a scan from
// cron, an exception), so its numbers are computed from every summary and
// live violation; "saved": nothing was, so they come from the store's
// dashboard cache.
func BenchmarkFirstFrameRealStore100k(b *testing.B) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st, err := db.Open(b.TempDir(), db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	c := cycledStore(b, st, clock)
	n, _ := st.CountAssets()
	want := itoa(n) + " assets"
	for _, written := range []bool{true, false} {
		b.Run(map[bool]string{true: "computed", false: "saved"}[written], func(b *testing.B) {
			settle := firstFrame(b, c, clock, want) // saves the numbers for "saved"
			settle()
			b.ResetTimer()
			var wall, cpu time.Duration
			for i := 0; i < b.N; i++ {
				if written {
					b.StopTimer()
					touch(b, st)
					b.StartTimer()
				}
				start, cpu0 := time.Now(), cpuTime(b)
				settle := firstFrame(b, c, clock, want)
				wall += time.Since(start)
				cpu += cpuTime(b) - cpu0
				b.StopTimer()
				settle()
				runtime.GC() // the previous session's garbage is not this one's cost
				b.StartTimer()
			}
			b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "ms-to-full-frame")
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms")
		})
	}
}

// touch writes to the store (a stored group), as a scan or an exception
// would, so the saved dashboard numbers are stale.
func touch(b *testing.B, st *db.Store) {
	if err := st.PutGroup(groups.Group{Name: "bench-touch", Types: []string{asset.TypeS3Bucket}}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkStartPath100k is what `vigil` does on start, minus the terminal:
// open a closed store of 100k demo assets (after a cycle), load and compile
// the policy pack (cycle.New), then a new session's first full dashboard
// frame, "computed" or "saved" as in BenchmarkFirstFrameRealStore100k. It
// reports each step's mean wall time.
func BenchmarkStartPath100k(b *testing.B) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	dir := b.TempDir()
	st, err := db.Open(dir, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	c := cycledStore(b, st, clock)
	n, _ := st.CountAssets()
	want := itoa(n) + " assets"
	firstFrame(b, c, clock, want)() // saves the numbers for "saved"
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	for _, written := range []bool{true, false} {
		b.Run(map[bool]string{true: "computed", false: "saved"}[written], func(b *testing.B) {
			var open, policies, frame, cpu time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st, err := db.Open(dir, db.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if written {
					touch(b, st)
				} else if i == 0 {
					// the "computed" runs left the saved numbers stale
					c, _, _ := cycle.New(st, &config.Config{}, cycle.Deps{Now: clock})
					firstFrame(b, c, clock, want)()
				}
				if err := st.Close(); err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				b.StartTimer()
				t0, cpu0 := time.Now(), cpuTime(b)
				st, err = db.Open(dir, db.Options{})
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				c, _, err := cycle.New(st, &config.Config{}, cycle.Deps{Now: clock})
				if err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				settle := firstFrame(b, c, clock, want)
				t3 := time.Now()
				cpu += cpuTime(b) - cpu0
				open, policies, frame = open+t1.Sub(t0), policies+t2.Sub(t1), frame+t3.Sub(t2)
				b.StopTimer()
				settle()
				if err := st.Close(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
			b.ReportMetric(per(open+policies+frame), "ms-to-full-frame")
			b.ReportMetric(per(open), "ms-open")
			b.ReportMetric(per(policies), "ms-policies")
			b.ReportMetric(per(frame), "ms-frame")
			b.ReportMetric(per(cpu), "cpu-ms")
		})
	}
}

// cycledStore fills st with 100k demo assets through one cycle.
func cycledStore(b *testing.B, st *db.Store, clock func() time.Time) *cycle.Cycle {
	b.Helper()
	c, _, err := cycle.New(st, &config.Config{}, cycle.Deps{Now: clock})
	if err != nil {
		b.Fatal(err)
	}
	src := &benchSource{byUnit: map[asset.UnitKey][]asset.Asset{}}
	for _, a := range demo.Assets(3, 100_000, clock()) {
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
	return c
}

// firstFrame opens a new console session (nothing cached) and drives it
// until the dashboard shows want; it returns drive's settle.
func firstFrame(b *testing.B, c *cycle.Cycle, clock func() time.Time, want string) (settle func()) {
	be := cycle.NewBackend(c, nil, cycle.TestActor("bench"), true)
	r := lipgloss.NewRenderer(io.Discard)
	r.SetHasDarkBackground(true)
	m := tui.New(be, tui.Options{Renderer: r, Now: clock})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	var ok bool
	// The label lets a CPU profile (-cpuprofile, pprof -tagfocus
	// phase=frame) show the first frame apart from the setup.
	pprof.Do(context.Background(), pprof.Labels("phase", "frame"), func(context.Context) {
		ok, settle = drive(m, m.Init(), want)
	})
	if !ok {
		settle()
		b.Fatalf("the dashboard never showed %q", want)
	}
	return settle
}

// cpuTime is the CPU time (user+system) the process has used so far: on a
// shared machine it tells the work done apart from the waiting.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
