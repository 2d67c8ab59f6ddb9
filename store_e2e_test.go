package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// demoStore builds the demo store (3000 assets, violations, exceptions,
// fix audit) and returns its directory.
func demoStore(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	r := vigil(t, map[string]string{"XDG_DATA_HOME": home}, "demo")
	if r.code != 0 {
		t.Fatalf("vigil demo: exit %d\n%s", r.code, r.stderr)
	}
	return filepath.Join(home, "vigil", "demo")
}

// storeViews is what the store's users see: every listing as JSON.
func storeViews(t *testing.T, dir string) map[string]string {
	t.Helper()
	views := map[string]string{}
	for name, args := range map[string][]string{
		"assets":     {"assets", "--json"},
		"violations": {"violations", "--json", "--status", "open,exempt,closed"},
		"exceptions": {"exceptions", "list", "--json"},
		"fixes":      {"fixes", "--json"},
		"scans":      {"scans", "--json", "--limit", "0"},
	} {
		r := vigil(t, nil, append(args, "--db", dir)...)
		if r.code != 0 {
			t.Fatalf("vigil %v: exit %d: %s", args, r.code, r.stderr)
		}
		views[name] = r.stdout
	}
	for _, name := range []string{"assets", "violations", "exceptions", "fixes"} {
		if len(views[name]) < 100 {
			t.Fatalf("fixture: %s is nearly empty: %q", name, views[name])
		}
	}
	return views
}

// fileList names every file of dir with its size.
func fileList(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(e.Name(), " ", info.ModTime(), " ", info.Size()))
	}
	sort.Strings(out)
	return out
}

// noStackTrace fails when a Go panic or stack trace reached the user.
func noStackTrace(t *testing.T, what, out string) {
	t.Helper()
	for _, w := range []string{"goroutine ", "panic:", "runtime.", ".go:"} {
		if strings.Contains(out, w) {
			t.Errorf("%s printed a Go stack trace (%q):\n%s", what, w, out)
			return
		}
	}
}

// A store whose MANIFEST is gone is refused by every command (before,
// Badger started an empty store and deleted every table, exit 0); once the
// MANIFEST is back, assets, violations, exceptions and the fix audit are
// all there, byte for byte.
func TestStoreWithoutManifestIsRefusedNotWiped(t *testing.T) {
	dir := demoStore(t)
	before := storeViews(t, dir)
	mf := filepath.Join(dir, "MANIFEST")
	if err := os.Rename(mf, mf+".saved"); err != nil {
		t.Fatal(err)
	}
	files := fileList(t, dir)
	for _, args := range [][]string{{"scans"}, {"assets"}, {"report"}, {"--read-only", "scans"}} {
		r := vigil(t, nil, append(args, "--db", dir)...)
		if r.code == 0 {
			t.Errorf("vigil %v on a store without its MANIFEST: exit 0\n%s", args, r.stdout)
		}
		for _, w := range []string{dir, "MANIFEST is missing", "vigil store check"} {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("vigil %v: the error does not say %q:\n%s", args, w, r.stderr)
			}
		}
		noStackTrace(t, strings.Join(args, " "), r.stderr)
	}
	for _, cmd := range []string{"store check", "doctor"} {
		r := vigil(t, nil, append(strings.Fields(cmd), "--db", dir)...)
		if r.code != 1 || !strings.Contains(r.stdout, "MANIFEST") || !strings.Contains(r.stdout, "missing") {
			t.Errorf("vigil %s: exit %d, want 1 and the MANIFEST named missing:\n%s%s", cmd, r.code, r.stdout, r.stderr)
		}
	}
	if after := fileList(t, dir); strings.Join(after, "\n") != strings.Join(files, "\n") {
		t.Errorf("the refused opens changed the directory:\nbefore %v\nafter  %v", files, after)
	}
	if err := os.Rename(mf+".saved", mf); err != nil {
		t.Fatal(err)
	}
	after := storeViews(t, dir)
	for name, want := range before {
		if after[name] != want {
			t.Errorf("%s changed across the refused opens (%d bytes before, %d after)", name, len(want), len(after[name]))
		}
	}
	if r := vigil(t, nil, "store", "check", "--db", dir); r.code != 0 || !strings.Contains(r.stdout, "ok") {
		t.Errorf("store check of the restored store: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// A truncated table gives every command a clear error naming the file,
// never a Go panic.
func TestTruncatedTableIsNamedNotPanicked(t *testing.T) {
	dir := demoStore(t)
	tables, err := filepath.Glob(filepath.Join(dir, "*.sst"))
	if err != nil || len(tables) == 0 {
		t.Fatalf("no tables in the demo store: %v", err)
	}
	victim := tables[0]
	info, err := os.Stat(victim)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(victim, info.Size()/2); err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(victim)
	for _, args := range [][]string{{"scans"}, {"assets", "--json"}, {"report"}, {"violations"}, {"--read-only", "report"}} {
		r := vigil(t, nil, append(args, "--db", dir)...)
		if r.code == 0 || !strings.Contains(r.stderr, name) || !strings.Contains(r.stderr, "truncated") {
			t.Errorf("vigil %v on a truncated table: exit %d, want an error naming %s:\n%s", args, r.code, name, r.stderr)
		}
		noStackTrace(t, strings.Join(args, " "), r.stderr)
	}
	r := vigil(t, nil, "store", "check", "--db", dir)
	if r.code != 1 || !strings.Contains(r.stdout, name) {
		t.Errorf("store check: exit %d, want 1 naming %s:\n%s", r.code, name, r.stdout)
	}
}
