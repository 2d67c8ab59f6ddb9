// Package procstat reads the process's own memory figures from Linux's
// /proc/self/status (VmRSS, RssAnon, RssFile, VmHWM, in kB there).
package procstat

import (
	"os"
	"strconv"
	"strings"
)

// KB returns the named fields of /proc/self/status in kB, in the order
// asked; false when the file or a field is missing (not Linux) or a value
// does not parse.
func KB(names ...string) ([]int, bool) {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return nil, false
	}
	out := make([]int, len(names))
	found := 0
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		for i, n := range names {
			if f[0] == n+":" {
				kb, err := strconv.Atoi(f[1])
				if err != nil {
					return nil, false
				}
				out[i] = kb
				found++
			}
		}
	}
	return out, found == len(names)
}

// MiB returns one field in MiB, 0 when it cannot be read.
func MiB(name string) float64 {
	kb, ok := KB(name)
	if !ok {
		return 0
	}
	return float64(kb[0]) / 1024
}
