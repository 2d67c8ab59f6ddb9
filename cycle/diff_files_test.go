package cycle

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/snapshot"
)

// exportTo writes the store's state to a snapshot file.
func exportTo(t *testing.T, c *Cycle, path string, now time.Time) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := snapshot.Export(c.Store, f, snapshot.ExportInput{Version: "test", Now: now}); err != nil {
		t.Fatal(err)
	}
}

func TestDiffFilesComparesTwoSnapshots(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	c := newTestCycle(t, &now)
	dir := t.TempDir()
	a, b := sg("us-east-1", "sg-a", true, nil), sg("us-east-1", "sg-b", false, nil)
	src := &staticSource{units: []asset.UnitKey{sgUnit("us-east-1")}, assets: []asset.Asset{a, b}}
	mustRun(t, c, src)
	oldPath := filepath.Join(dir, "old.vgl")
	exportTo(t, c, oldPath, now)

	now = now.AddDate(0, 0, 1)
	aFixed, n := sg("us-east-1", "sg-a", false, nil), sg("us-east-1", "sg-n", true, nil)
	aFixed.Tags["Owner"] = "new@example.com"
	src.assets = []asset.Asset{aFixed, n}
	mustRun(t, c, src)
	newPath := filepath.Join(dir, "new.vgl")
	exportTo(t, c, newPath, now)

	d, err := DiffFiles(oldPath, newPath, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.From.File != oldPath || d.To.File != newPath || d.To.Scan == "" || !d.To.Started.After(d.From.Started) {
		t.Errorf("sides %+v -> %+v, want the two files with their newest scans", d.From, d.To)
	}
	if len(d.Assets.Added) != 1 || d.Assets.Added[0].ID != n.ID || len(d.Assets.Removed) != 1 || d.Assets.Removed[0].ID != b.ID {
		t.Errorf("added %+v removed %+v, want n added and b removed", d.Assets.Added, d.Assets.Removed)
	}
	if len(d.Assets.Changed) != 1 || d.Assets.Changed[0].ID != a.ID {
		t.Fatalf("changed = %+v, want a", d.Assets.Changed)
	}
	paths := map[string]asset.Change{}
	for _, ch := range d.Assets.Changed[0].Changes {
		paths[ch.Path] = ch
	}
	if ch, ok := paths["tags.Owner"]; !ok || ch.Before != "o@example.com" || ch.After != "new@example.com" {
		t.Errorf("a's changes %+v, want tags.Owner o@example.com -> new@example.com", d.Assets.Changed[0].Changes)
	}
	if _, ok := paths["ingress"]; !ok {
		t.Errorf("a's changes %+v, want ingress", d.Assets.Changed[0].Changes)
	}
	opened, closed := false, false
	for _, r := range d.Violations.Opened {
		opened = opened || r.PolicyID == openSSH && r.AssetID == n.ID
	}
	for _, r := range d.Violations.Closed {
		closed = closed || r.PolicyID == openSSH && r.AssetID == a.ID
	}
	if !opened || !closed {
		t.Errorf("violations %+v, want n's opened and a's closed", d.Violations)
	}
	if _, err := DiffFiles(oldPath, filepath.Join(dir, "missing.vgl"), ""); err == nil {
		t.Error("diff with a missing file succeeded")
	}
}
