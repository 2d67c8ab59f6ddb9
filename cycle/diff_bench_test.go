package cycle

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
)

// BenchmarkDiff100kOnePercent times `vigil diff` of two scans of 100k demo
// assets where 1% of the documents changed between them (the issue's
// target: 1 s), on an on-disk store.
func BenchmarkDiff100kOnePercent(b *testing.B) {
	const n = 100_000
	t1 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	t2 := t1.Add(24 * time.Hour)
	st, err := db.Open(filepath.Join(b.TempDir(), "store"), db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	assets := demo.Assets(1, n, t1)
	for i, at := range []time.Time{t1, t2} {
		id := []string{"s1", "s2"}[i]
		if i == 1 {
			for j := 0; j < n; j += 100 { // 1%
				a := &assets[j]
				attrs := make(map[string]any, len(a.Attrs)+1)
				for k, v := range a.Attrs {
					attrs[k] = v
				}
				attrs["bench_changed"] = int64(j)
				a.Attrs = attrs
			}
		}
		if err := st.PutScan(&asset.Scan{ID: id, Started: at, Finished: at.Add(time.Minute), Status: asset.ScanComplete}); err != nil {
			b.Fatal(err)
		}
		if err := st.PutAssetsAt(db.Stamp{Scan: id, At: at}, assets); err != nil {
			b.Fatal(err)
		}
	}
	c, _, err := New(st, &config.Config{}, Deps{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		d, err := c.DiffScans(DiffOptions{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(d.Assets.Changed) != n/100 {
			b.Fatalf("diff found %d changed assets, want %d", len(d.Assets.Changed), n/100)
		}
	}
}
