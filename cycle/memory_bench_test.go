package cycle

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/tui/omni"
)

// rssMiB reads the process's resident set size.
func rssMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkConsoleMemory1M measures what a console session holds at 1M
// assets: the backend's summaries of group "all" plus the omni search index
// and a search session over them (what `/` builds). The store is filled
// directly (no evaluation) and the generator's documents are dropped first.
func BenchmarkConsoleMemory1M(b *testing.B) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	dir := b.TempDir()
	st, err := db.Open(dir, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for part := 0; part < 10; part++ { // 10 x 100k keeps the generator's garbage small
		as := demo.Assets(int64(part+1), 100_000, now)
		for i := range as {
			as[i].ID = strconv.Itoa(part) + "/" + as[i].ID
		}
		if err := st.PutAssets(as); err != nil {
			b.Fatal(err)
		}
	}
	st.Close()
	runtime.GC()
	for i := 0; i < b.N; i++ {
		st, err := db.Open(dir, db.Options{})
		if err != nil {
			b.Fatal(err)
		}
		c, _, err := New(st, &config.Config{}, Deps{Now: func() time.Time { return now }})
		if err != nil {
			b.Fatal(err)
		}
		be := NewBackend(c, nil, "bench", true)
		sums, err := be.Summaries(groups.All)
		if err != nil {
			b.Fatal(err)
		}
		sess := omni.NewSession(omni.NewIndex(omni.ItemsFromSummaries(sums, nil)))
		sess.Search(b.Context(), omni.Query{Text: "prod"})
		runtime.GC()
		debug.FreeOSMemory() // return the generator's garbage before reading RSS
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if path := os.Getenv("VIGIL_HEAP_PROFILE"); path != "" {
			if f, err := os.Create(path); err == nil {
				_ = pprof.WriteHeapProfile(f)
				f.Close()
			}
		}
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
		b.ReportMetric(rssMiB(), "rss-MiB")
		b.ReportMetric(float64(len(sums)), "assets")
		runtime.KeepAlive(sess)
		runtime.KeepAlive(sums)
		st.Close()
	}
}
