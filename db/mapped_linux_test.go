//go:build linux

package db_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/internal/procstat"
)

// rssFileKB is the process's resident file-backed memory (RssFile).
func rssFileKB(t *testing.T) int {
	t.Helper()
	kb, ok := procstat.KB("RssFile")
	if !ok {
		t.Fatal("no RssFile in /proc/self/status")
	}
	return kb[0]
}

// TestReleaseMappedPages reads a store's every summary and document, which
// faults its table and value log pages into the resident set, and checks
// that ReleaseMappedPages gives most of them back and that everything
// still reads the same afterwards.
func TestReleaseMappedPages(t *testing.T) {
	s, dir := diskStore(t)
	as := demo.Assets(3, 20_000, t0)
	if err := s.PutAssets(as); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := db.Open(dir, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	readAll := func() string {
		sums, err := s.AllSummaries()
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i := range sums {
			a, err := s.Asset(sums[i].ID)
			if err != nil {
				t.Fatalf("asset %s: %v", sums[i].ID, err)
			}
			b.WriteString(a.ID + a.Name + fmt.Sprint(a.Attrs))
		}
		return b.String()
	}
	base := rssFileKB(t)
	want := readAll()
	loaded := rssFileKB(t)
	if loaded-base < 8<<10 {
		t.Fatalf("reading the store mapped only %d KiB of files; the test store is too small to show a release", loaded-base)
	}
	advised, err := s.ReleaseMappedPages()
	if err != nil {
		t.Fatal(err)
	}
	released := rssFileKB(t)
	t.Logf("RssFile: %d KiB before reading, %d after, %d after releasing %d KiB of mappings", base, loaded, released, advised>>10)
	if advised == 0 {
		t.Fatal("no store mapping was found in /proc/self/maps")
	}
	if got, gain := loaded-released, loaded-base; got < gain*3/4 {
		t.Errorf("release gave back %d KiB of the %d KiB reading mapped in", got, gain)
	}
	if readAll() != want {
		t.Error("the store reads differently after its pages were released")
	}
}
