package omni_test

import (
	"context"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/sahilm/fuzzy"
	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/tui/omni"
)

// benchQueries are typed character by character in the benchmarks and by
// scripts/fzf-yardstick.sh.
var benchQueries = []string{
	"prod-db",
	"payments sg",
	"i-0a1",
	"eu-west-1 unencrypted",
	"checkout staging !dev",
	"arn:aws:s3",
	"snap-0e0",
	"cve-2024",
	"owner=sre",
	"lambda resize",
}

// benchNow fixes the demo clock so every run indexes the same lines.
var benchNow = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// demoItems generates n demo assets (seed 1) as items, marking every
// seventh one as having violations.
func demoItems(n int) []omni.Item { return omni.ItemsFromSummaries(demoSummaries(n)) }

// demoSummaries generates n demo assets (seed 1) as summaries and the IDs
// of every seventh, marked as having violations.
func demoSummaries(n int) ([]asset.Summary, map[string]bool) {
	as := demo.Assets(1, n, benchNow)
	s := make([]asset.Summary, len(as))
	viol := map[string]bool{}
	for i := range as {
		s[i] = as[i].Summary()
		if i%7 == 0 {
			viol[as[i].ID] = true
		}
	}
	return s, viol
}

// BenchmarkTyping100k types every bench query keystroke by keystroke at
// 100k demo assets, through a Session (as the console does) and as fresh
// searches, and reports the per-keystroke latency p50, p90 and max.
func BenchmarkTyping100k(b *testing.B) { benchTyping(b, 100_000) }

// BenchmarkTyping1M is BenchmarkTyping100k at 1M demo assets.
func BenchmarkTyping1M(b *testing.B) { benchTyping(b, 1_000_000) }

// benchTyping runs the typing benchmarks over n demo assets, indexed from
// their summaries as the console does; the session case also reports the
// heap the index itself takes (summaries excluded).
func benchTyping(b *testing.B, n int) {
	sums, viol := demoSummaries(n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ix := omni.NewAssetIndex(sums, viol, nil)
	runtime.GC()
	runtime.ReadMemStats(&after)
	indexMB := float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
	b.Run("session", func(b *testing.B) {
		typeQueries(b, func() func(string) omni.Result {
			s := omni.NewSession(ix)
			return func(text string) omni.Result { return s.Search(context.Background(), omni.Query{Text: text}) }
		})
		b.ReportMetric(indexMB, "index-MB")
	})
	b.Run("fresh", func(b *testing.B) {
		typeQueries(b, func() func(string) omni.Result {
			return func(text string) omni.Result { return ix.Search(context.Background(), omni.Query{Text: text}) }
		})
	})
	runtime.KeepAlive(sums)
}

// typeQueries types each bench query through a new searcher from start and
// reports keystroke latency percentiles.
func typeQueries(b *testing.B, start func() func(string) omni.Result) {
	var lat []time.Duration
	runtime.GC()
	cpu0 := cpuTime(b)
	b.ResetTimer()
	for range b.N {
		for _, q := range benchQueries {
			search := start()
			search("")
			for i := 1; i <= len(q); i++ {
				t0 := time.Now()
				r := search(q[:i])
				lat = append(lat, time.Since(t0))
				if r.Cancelled {
					b.Fatalf("%q was cancelled", q[:i])
				}
			}
		}
	}
	b.StopTimer()
	cpu := cpuTime(b) - cpu0
	b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(len(lat)), "cpu-ms/key")
	reportLatency(b, lat)
}

// cpuTime is the CPU time (user+system) the process has used: unlike wall
// time it hardly changes when other processes share the machine.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[len(lat)*9/10]), "p90-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
	b.ReportMetric(0, "ns/op") // the per-keystroke metrics are the result
}

// BenchmarkSahilmBaseline is the yardstick of doing it the plain way:
// sahilm/fuzzy.Find over every line for every keystroke, at 100k.
func BenchmarkSahilmBaseline(b *testing.B) {
	ix := omni.NewIndex(demoItems(100_000))
	lines := make([]string, ix.Len())
	for i := range lines {
		lines[i] = ix.Line(i)
	}
	var lat []time.Duration
	b.ResetTimer()
	for range b.N {
		for _, q := range benchQueries {
			for i := 1; i <= len(q); i++ {
				t0 := time.Now()
				fuzzy.Find(q[:i], lines)
				lat = append(lat, time.Since(t0))
			}
		}
	}
	b.StopTimer()
	reportLatency(b, lat)
}
