package db_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
)

// BenchmarkRescanChanged100k times a rescan of 100k assets where 1% of
// the documents changed, without history (PutAssets) and with it
// (PutAssetsAt: the 1k replaced documents are kept as versions), so the
// two figures differ only by what history costs.
func BenchmarkRescanChanged100k(b *testing.B) {
	b.Run("history=off", func(b *testing.B) { benchRescanChanged(b, false) })
	b.Run("history=on", func(b *testing.B) { benchRescanChanged(b, true) })
}

func benchRescanChanged(b *testing.B, history bool) {
	const n = 100_000
	dir := filepath.Join(b.TempDir(), "store")
	seed(b, dir, n)
	assets := demo.Assets(1, n, benchNow)
	s, err := db.Open(dir, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var total time.Duration
	runs := 0
	for b.Loop() {
		runs++
		at := benchNow.Add(time.Duration(runs) * time.Hour)
		for i := range assets {
			assets[i].LastSeen = at
		}
		for i := 0; i < n; i += 100 {
			attrs := make(map[string]any, len(assets[i].Attrs)+1)
			for k, v := range assets[i].Attrs {
				attrs[k] = v
			}
			attrs["bench_run"] = int64(runs)
			assets[i].Attrs = attrs
		}
		start := time.Now()
		if history {
			err = s.PutAssetsAt(db.Stamp{Scan: "bench", At: at}, assets)
		} else {
			err = s.PutAssets(assets)
		}
		if err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64(n*runs)/total.Seconds(), "assets/s")
}
