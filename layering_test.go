package main

import (
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// layers places every package of the module: a package may import only
// packages on lower layers (docs/ARCHITECTURE.md draws the same picture).
// A new package gets a layer here and a line in that page.
func layers() map[string]float64 {
	return map[string]float64{
		"internal/procstat": 0, "internal/testmoto": 0, "internal/testproxy": 0,
		"internal/awsapi": 0, "internal/celguard": 0, "internal/didyoumean": 0,
		"asset":  0,
		"groups": 1,
		"config": 2,
		"rules":  3, "tui/omni": 3.5,
		"scanner": 5, "fix": 5,
		"db": 6, "snapshot": 6.5,
		"cycle": 7, "report": 7.5, "notify": 7.6,
		"demo":  8,
		"tui":   9,
		"serve": 10,
		"":      100, // the command (main): wires everything, imported by nothing
	}
}

// tuiMayImport is what the console may see: its Backend interface and the
// domain types, never the store or the backend's implementation.
func tuiMayImport() map[string]bool {
	return map[string]bool{"asset": true, "groups": true, "config": true, "rules": true, "fix": true, "tui/omni": true}
}

// knownDebt lists arrows that break the layering today and are still to be
// removed. The test fails when one disappears (delete it here), so the
// list only shrinks.
func knownDebt() map[string]bool {
	return map[string]bool{
		"cycle -> demo":  true, // the demo source and fixer; demo should sit above cycle
		"fix -> scanner": true, // AWS config and endpoint rules; belong in internal/awsapi
		"tui -> db":      true, // db.ViolationFilter in the Backend interface
		"tui -> cycle":   true, // cycle.Progress and cycle.Result in the Backend interface
	}
}

// TestLayering checks every import arrow between the module's packages
// (production code, not tests) against the layers.
func TestLayering(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}:{{range .Imports}} {{.}}{{end}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "github.com/vigil-sec/vigil"
	rel := func(p string) (string, bool) {
		if p == mod {
			return "", true
		}
		if strings.HasPrefix(p, mod+"/") {
			return strings.TrimPrefix(p, mod+"/"), true
		}
		return "", false
	}
	lay, debt, seen := layers(), knownDebt(), map[string]bool{}
	var bad []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		from, imports, _ := strings.Cut(line, ":")
		src, _ := rel(from)
		ls, ok := lay[src]
		if !ok {
			bad = append(bad, "package "+from+" has no layer: add it to layers() and docs/ARCHITECTURE.md")
			continue
		}
		for _, imp := range strings.Fields(imports) {
			dst, ours := rel(imp)
			if !ours {
				continue
			}
			arrow := src + " -> " + dst
			ld, ok := lay[dst]
			wrong := !ok || ld >= ls || (src == "tui" && !tuiMayImport()[dst])
			switch {
			case wrong && debt[arrow]:
				seen[arrow] = true
			case wrong:
				bad = append(bad, "forbidden import "+arrow)
			}
		}
	}
	for arrow := range debt {
		if !seen[arrow] {
			bad = append(bad, "known debt "+arrow+" is gone: remove it from knownDebt()")
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
}
