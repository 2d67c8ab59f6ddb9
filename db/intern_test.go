package db

import (
	"fmt"
	"testing"
	"unsafe"
)

// An interner gives one string per value, whether it holds a few values
// (scanned) or many (in a map), and past maxInterned still gives equal
// strings.
func TestInternerOneStringPerValue(t *testing.T) {
	for _, n := range []int{3, 8, 9, 100, maxInterned + 10} {
		var in interner
		first := map[string]string{}
		for round := range 2 {
			for i := range n {
				v := fmt.Sprint("value-", (i*7)%n)
				got := in.str([]byte(v))
				if got != v {
					t.Fatalf("n=%d: str(%q) = %q", n, v, got)
				}
				if round == 0 {
					if _, ok := first[v]; !ok {
						first[v] = got
					}
					continue
				}
				if n <= maxInterned && unsafe.StringData(first[v]) != unsafe.StringData(got) {
					t.Errorf("n=%d: %q is a new string the second time", n, v)
				}
			}
		}
	}
	var in interner
	if in.str(nil) != "" || in.str([]byte{}) != "" {
		t.Error("empty bytes do not give the empty string")
	}
}

// A tag table shares sets once its load has decoded enough summaries.
func TestTagTableActiveAfterThreshold(t *testing.T) {
	tt := newTagTable(10)
	if tt.ifActive() != nil {
		t.Error("active before any summary was decoded")
	}
	tt.decoded(9)
	if tt.ifActive() != nil {
		t.Error("active after 9 of 10 summaries")
	}
	tt.decoded(1)
	if tt.ifActive() != tt {
		t.Error("not active after 10 summaries")
	}
	if newTagTable(0).ifActive() == nil {
		t.Error("a table sharing from the first summary is not active")
	}
}
