package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/fix"
)

// Issue 16 §2.4: on the demo store `vigil fix undo` undoes a fix on the
// demo world instead of failing with "no AWS credentials".
func TestFixUndoWorksOnTheDemoStore(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	env := map[string]string{"XDG_DATA_HOME": data, "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}
	if r := vigil(t, env, "demo"); r.code != 0 {
		t.Fatalf("vigil demo (no terminal): %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	dir := filepath.Join(data, "vigil", "demo")
	r := vigil(t, env, "--db", dir, "fixes", "--json")
	var recs []fix.Record
	if err := json.Unmarshal([]byte(r.stdout), &recs); err != nil {
		t.Fatalf("vigil fixes --json: %v\n%s", err, r.stderr)
	}
	r = vigil(t, env, "--db", dir, "assets", "--json")
	var sums []asset.Summary
	if err := json.Unmarshal([]byte(r.stdout), &sums); err != nil {
		t.Fatalf("vigil assets --json: %v\n%.200s", err, r.stdout)
	}
	present := map[string]bool{}
	for _, s := range sums {
		present[s.ID] = true
	}
	id := ""
	for _, rec := range recs {
		if rec.Status == fix.RecordApplied && rec.Undoable && rec.UndoneBy == "" && rec.UndoOf == "" && present[rec.AssetID] {
			id = rec.ID
			break
		}
	}
	if id == "" {
		t.Fatal("no applied, undoable fix on a present asset in the demo history")
	}
	r = vigil(t, env, "--db", dir, "fix", "undo", id, "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "undone: "+id) {
		t.Fatalf("fix undo %s: exit %d\n%s%s", id, r.code, r.stdout, r.stderr)
	}
	r = vigil(t, env, "--db", dir, "fix", "undo", id, "--yes")
	if r.code == 0 || !strings.Contains(r.stderr, "already undone") {
		t.Fatalf("a second undo is refused with a reason: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
