package omni_test

import (
	"bufio"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/tui/omni"
)

// Flags for scripts/fzf-yardstick.sh, which times fzf on the very lines the
// benchmarks search: go test -run TestWriteLines ./tui/omni/ -args
// -dumplines=FILE -dumpn=N -dumpqueries=FILE.
var (
	dumpLines   = flag.String("dumplines", "", "write the search lines of -dumpn demo assets to this file")
	dumpN       = flag.Int("dumpn", 100_000, "how many demo assets -dumplines writes")
	dumpQueries = flag.String("dumpqueries", "", "write the benchmark queries, one a line, to this file")
)

// TestWriteLines writes the index's search lines one a line (to -dumplines,
// else a temporary file) and checks they read back unchanged: no line may
// contain a newline, or fzf would see other lines than omni.
func TestWriteLines(t *testing.T) {
	path, n := *dumpLines, *dumpN
	if path == "" {
		path, n = filepath.Join(t.TempDir(), "lines.txt"), 2000
	}
	ix := omni.NewIndex(demoItems(n))
	f, err := os.Create(path)
	if err != nil {
		t.Fatalf("create lines file: %v", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for i := 0; i < ix.Len(); i++ {
		w.WriteString(ix.Line(i))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("close %s: %v", path, err)
	}
	if *dumpQueries != "" {
		if err := os.WriteFile(*dumpQueries, []byte(strings.Join(benchQueries, "\n")+"\n"), 0o644); err != nil {
			t.Fatalf("write queries: %v", err)
		}
	}

	r, err := os.Open(path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	i := 0
	for ; sc.Scan(); i++ {
		if i >= ix.Len() || sc.Text() != ix.Line(i) {
			t.Fatalf("line %d of %s is %q, want %q", i, path, sc.Text(), ix.Line(i))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read back: %v", err)
	}
	if i != ix.Len() {
		t.Fatalf("%s has %d lines, want %d", path, i, ix.Len())
	}
}
