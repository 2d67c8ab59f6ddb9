//go:build linux

package db

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// Releasing the store's pages while it writes, flushes and compacts (small
// memtables make many tables, which compactions then map, merge and unmap)
// loses nothing: every asset written reads back whole afterwards.
func TestReleaseMappedPagesDuringWrites(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{memTableSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var done atomic.Bool
	var wg sync.WaitGroup
	var releases, advised atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !done.Load() {
			n, err := s.ReleaseMappedPages()
			if err != nil {
				t.Errorf("release: %v", err)
				return
			}
			releases.Add(1)
			advised.Add(n)
			time.Sleep(time.Millisecond)
		}
	}()
	want := map[string]string{}
	for part := range 8 {
		as := make([]asset.Asset, 1500)
		for i := range as {
			id := fmt.Sprintf("arn:aws:s3:::bucket-%d-%d", part, i)
			as[i] = asset.Asset{ID: id, Type: "aws.s3.bucket", Name: fmt.Sprintf("bucket-%d-%d", part, i),
				Account: "111111111111", Region: "us-east-1", Source: "aws", FirstSeen: now, LastSeen: now,
				Tags:  map[string]string{"Team": fmt.Sprintf("team-%d", i%9), "Owner": fmt.Sprintf("o%d@example.com", i)},
				Attrs: map[string]any{"policy": fmt.Sprintf("%0600d", i), "versioning": i%2 == 0}} // over the value threshold
			want[id] = as[i].Name
		}
		if err := s.PutAssets(as); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AllSummaries(); err != nil {
			t.Fatal(err)
		}
	}
	done.Store(true)
	wg.Wait()
	if releases.Load() < 2 || advised.Load() == 0 {
		t.Fatalf("%d releases advised %d bytes: the test did not release while writing", releases.Load(), advised.Load())
	}
	sums, err := s.AllSummaries()
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != len(want) {
		t.Fatalf("%d summaries read back, %d written", len(sums), len(want))
	}
	for i := range sums {
		if want[sums[i].ID] != sums[i].Name {
			t.Fatalf("summary %s: name %q, want %q", sums[i].ID, sums[i].Name, want[sums[i].ID])
		}
		if i%97 == 0 {
			a, err := s.Asset(sums[i].ID)
			if err != nil || a.Name != sums[i].Name || len(a.Attrs) == 0 {
				t.Fatalf("asset %s after releases: %v (name %q, %d attributes)", sums[i].ID, err, a.Name, len(a.Attrs))
			}
		}
	}
}
