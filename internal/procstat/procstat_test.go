package procstat

import (
	"runtime"
	"testing"
)

// The file-backed part of the resident set includes at least the running
// binary's code and is part of the whole; a missing field is not found.
func TestKB(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/self/status is Linux's")
	}
	kb, ok := KB("RssFile", "VmRSS")
	if !ok || kb[0] <= 0 || kb[1] < kb[0] {
		t.Fatalf("RssFile %v KiB of VmRSS, ok %v", kb, ok)
	}
	if _, ok := KB("NoSuchField"); ok {
		t.Error("a missing field was reported found")
	}
	if m := MiB("VmRSS"); m*1024 < float64(kb[0]) {
		t.Errorf("VmRSS %.1f MiB is less than RssFile %d KiB", m, kb[0])
	}
}
