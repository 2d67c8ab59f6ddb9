package cycle

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/internal/procstat"
	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/tui/omni"
)

// fillStore1M stores 1M demo assets in dir and evaluates them once with the
// built-in pack (Reevaluate, as a cycle does after storing), so the store
// holds the violations a console at 1M shows. The generator's documents are
// dropped part by part.
func fillStore1M(b *testing.B, dir string, now time.Time) {
	st, err := db.Open(dir, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	for part := 0; part < 10; part++ { // 10 x 100k keeps the generator's garbage small
		as := demo.Assets(int64(part+1), 100_000, now)
		for i := range as {
			as[i].ID = strconv.Itoa(part) + "/" + as[i].ID
		}
		if err := st.PutAssets(as); err != nil {
			b.Fatal(err)
		}
	}
	c, _, err := New(st, &config.Config{}, Deps{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Reevaluate(context.Background(), "bench"); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkConsoleMemory1M measures what a console session holds at 1M
// assets once the dashboard and `/` have loaded: the backend's summaries of
// group "all" and its live violations (the dashboard's scores and counts),
// and the omni index over assets, policies and open violations with a
// search session, built as the console builds it. It reports the Go heap in
// use and the process's resident set (anonymous and file-backed) after a
// GC and the release of the store's mapped pages the console does after a
// burst of loads (loaded-file-MiB: file-backed before that release), and
// the peak resident set while the console loaded.
//
// Filling the store (1M assets, then an evaluation) takes minutes; with
// VIGIL_BENCH_STORE=DIR the filled store is kept in DIR and reused.
func BenchmarkConsoleMemory1M(b *testing.B) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	dir := os.Getenv("VIGIL_BENCH_STORE")
	if dir == "" {
		dir = b.TempDir()
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST")); err != nil {
		fillStore1M(b, dir, now)
	}
	runtime.GC()
	debug.FreeOSMemory()
	for i := 0; i < b.N; i++ {
		// Reset the peak resident set so VmHWM covers the console alone.
		_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
		st, err := db.Open(dir, db.Options{})
		if err != nil {
			b.Fatal(err)
		}
		openFile := procstat.MiB("RssFile") // what opening the store maps in
		c, _, err := New(st, &config.Config{}, Deps{Now: func() time.Time { return now }})
		if err != nil {
			b.Fatal(err)
		}
		be := NewBackend(c, nil, TestActor("bench"), true)
		if _, err := be.Scores(groups.All, ""); err != nil {
			b.Fatal(err)
		}
		vs, err := be.Violations(groups.All, db.ViolationFilter{Status: []string{rules.StatusOpen}})
		if err != nil {
			b.Fatal(err)
		}
		sums, err := be.Summaries(groups.All)
		if err != nil {
			b.Fatal(err)
		}
		sess := omni.NewSession(omni.ConsoleIndex(sums, be.Policies(), vs)) // as tui.buildIndex
		sess.Search(b.Context(), omni.Query{Text: "prod"})
		be.DropViolationCache() // as the console's memoryReleaser does after the burst
		// What a console would hold if nothing returned the loading garbage
		// to the OS at once: Go's background scavenger keeps pages up to
		// about the next GC goal.
		runtime.GC()
		time.Sleep(2 * time.Second)
		gcAnon := procstat.MiB("RssAnon")
		debug.FreeOSMemory() // return the loading garbage before reading RSS
		loadedFile := procstat.MiB("RssFile")
		// What the console's memoryReleaser does after a burst of loads.
		if _, err := st.ReleaseMappedPages(); err != nil {
			b.Fatal(err)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if path := os.Getenv("VIGIL_HEAP_PROFILE"); path != "" {
			if f, err := os.Create(path); err == nil {
				_ = pprof.WriteHeapProfile(f)
				f.Close()
			}
		}
		if path := os.Getenv("VIGIL_SMAPS"); path != "" {
			if raw, err := os.ReadFile("/proc/self/smaps"); err == nil {
				_ = os.WriteFile(path, raw, 0o600)
			}
		}
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
		b.ReportMetric(procstat.MiB("VmRSS"), "rss-MiB")
		b.ReportMetric(procstat.MiB("RssAnon"), "anon-MiB")
		b.ReportMetric(procstat.MiB("RssFile"), "file-MiB")
		b.ReportMetric(openFile, "open-file-MiB")
		b.ReportMetric(loadedFile, "loaded-file-MiB")
		b.ReportMetric(procstat.MiB("VmHWM"), "peak-rss-MiB")
		b.ReportMetric(gcAnon, "gc-anon-MiB")
		b.ReportMetric(float64(len(sums)), "assets")
		b.ReportMetric(float64(len(vs)), "open-violations")
		runtime.KeepAlive(sess)
		runtime.KeepAlive(sums)
		runtime.KeepAlive(be) // the console keeps the backend and its caches
		st.Close()
	}
}
