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
