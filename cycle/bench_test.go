package cycle

import (
	"context"
	"log"
	"os"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/groups"
)

// unitSource hands out a fixed inventory grouped by unit, with no delay.
func unitSource(assets []asset.Asset) *staticSource {
	seen := map[asset.UnitKey]bool{}
	src := &staticSource{assets: assets}
	for i := range assets {
		u := unitOf(&assets[i])
		if !seen[u] {
			seen[u] = true
			src.units = append(src.units, u)
		}
	}
	return src
}

// groupedSource is staticSource with the assets pre-split by unit, so the
// benchmark measures the cycle, not the fixture.
type groupedSource struct {
	units  []asset.UnitKey
	byUnit map[asset.UnitKey][]asset.Asset
}

func (g *groupedSource) Units() []asset.UnitKey { return g.units }

func (g *groupedSource) Run(_ context.Context, handle func(asset.Unit, []asset.Asset)) error {
	for _, u := range g.units {
		handle(asset.Unit{UnitKey: u, Status: asset.UnitComplete, Assets: len(g.byUnit[u])}, g.byUnit[u])
	}
	return nil
}

func grouped(assets []asset.Asset) *groupedSource {
	s := unitSource(assets)
	g := &groupedSource{units: s.units, byUnit: map[asset.UnitKey][]asset.Asset{}}
	for _, a := range assets {
		u := unitOf(&a)
		g.byUnit[u] = append(g.byUnit[u], a)
	}
	return g
}

// benchCycle measures whole cycles (store every unit, evaluate the built-in
// pack, reconcile violations, write trend points for every built-in group)
// over n demo-generator assets: the first (cold) cycle, then a cycle where
// nothing changed.
func benchCycle(b *testing.B, n int) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	assets := demo.Assets(7, n, now)
	src := grouped(assets)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := db.Open(b.TempDir(), db.Options{})
		if err != nil {
			b.Fatal(err)
		}
		deps := Deps{Now: func() time.Time { return now }}
		if os.Getenv("VIGIL_BENCH_LOG") != "" {
			deps.Log = log.New(os.Stderr, "", 0)
		}
		c, _, err := New(st, &config.Config{}, deps)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		if _, err := c.Run(context.Background(), src, RunOptions{Source: "bench"}, nil); err != nil {
			b.Fatal(err)
		}
		cold := time.Since(t0)
		t1 := time.Now()
		if _, err := c.Run(context.Background(), src, RunOptions{Source: "bench"}, nil); err != nil {
			b.Fatal(err)
		}
		warm := time.Since(t1)
		t2 := time.Now()
		if _, err := c.GroupMembers(groups.All); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(cold.Seconds(), "cold-cycle-s")
		b.ReportMetric(warm.Seconds(), "unchanged-cycle-s")
		b.ReportMetric(time.Since(t2).Seconds(), "load-members-s")
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
}

// BenchmarkCycle100k runs whole cycles over 100k demo assets.
func BenchmarkCycle100k(b *testing.B) { benchCycle(b, 100_000) }

// BenchmarkCycle1M runs whole cycles over 1M demo assets.
func BenchmarkCycle1M(b *testing.B) { benchCycle(b, 1_000_000) }
