package db_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

// storeWithData writes assets, an exception and a fix record to a store on
// disk and closes it; it returns the directory and what a reader sees.
func storeWithData(t *testing.T) (string, snapshot) {
	t.Helper()
	s, dir := diskStore(t)
	mustPut(t, s, mkAssets("111111111111", "us-east-1", "aws.ec2.volume", 0, 300))
	if err := s.PutException(&rules.Exception{ID: "exc-1", Kind: rules.ExceptionSticky, PolicyIDs: []string{"p"},
		Reason: "accepted", Author: "alice", Created: t0, Expires: t0.AddDate(1, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFixRecord(&fix.Record{ID: "fix-1", Action: "a", ViolationID: "v", AssetID: "x",
		Status: "applied", By: "alice", At: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, readSnapshot(t, dir)
}

// snapshot is what the store holds, as a reader sees it.
type snapshot struct {
	assets     map[string]string // ID -> document
	exceptions []rules.Exception
	fixes      []fix.Record
}

func readSnapshot(t *testing.T, dir string) snapshot {
	t.Helper()
	s, err := db.Open(dir, db.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	defer s.Close()
	sums, err := s.AllSummaries()
	if err != nil {
		t.Fatal(err)
	}
	snap := snapshot{assets: map[string]string{}}
	for _, sum := range sums {
		a, err := s.Asset(sum.ID)
		if err != nil {
			t.Fatal(err)
		}
		snap.assets[sum.ID] = a.Name + "|" + a.Account + "|" + a.Region
	}
	if snap.exceptions, err = s.Exceptions(); err != nil {
		t.Fatal(err)
	}
	if snap.fixes, err = s.FixRecords(0); err != nil {
		t.Fatal(err)
	}
	return snap
}

// dirDigest names every file of dir with a hash of its contents.
func dirDigest(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		_, _ = io.Copy(h, f)
		f.Close()
		out = append(out, e.Name()+" "+hex.EncodeToString(h.Sum(nil))[:16])
	}
	sort.Strings(out)
	return out
}

// refusedUntouched opens dir, wants ErrDamaged naming dir and the words,
// and checks that no file changed.
func refusedUntouched(t *testing.T, dir string, words ...string) {
	t.Helper()
	before := dirDigest(t, dir)
	for _, ro := range []bool{false, true} {
		s, err := db.Open(dir, db.Options{ReadOnly: ro})
		if err == nil {
			s.Close()
			t.Fatalf("open (read-only %v) of a damaged store succeeded", ro)
		}
		if !errors.Is(err, db.ErrDamaged) {
			t.Errorf("open (read-only %v): %v; want ErrDamaged", ro, err)
		}
		for _, w := range append([]string{dir, "vigil store check"}, words...) {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("open (read-only %v): %q does not say %q", ro, err, w)
			}
		}
	}
	if after := dirDigest(t, dir); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused open changed the directory:\nbefore %v\nafter  %v", before, after)
	}
}

func mustRename(t *testing.T, from, to string) {
	t.Helper()
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
}

// Without its MANIFEST Badger would start empty and delete every table;
// Open refuses, and the data is all there once the MANIFEST is back.
func TestOpenRefusesStoreWithoutManifest(t *testing.T) {
	t.Parallel()
	dir, want := storeWithData(t)
	mf := filepath.Join(dir, "MANIFEST")
	mustRename(t, mf, mf+".away")
	refusedUntouched(t, dir, "MANIFEST is missing", "delete")
	mustRename(t, mf+".away", mf)
	if got := readSnapshot(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("data changed across the refused open")
	}
	if len(want.assets) != 300 || len(want.exceptions) != 1 || len(want.fixes) != 1 {
		t.Errorf("fixture: %d assets, %d exceptions, %d fixes", len(want.assets), len(want.exceptions), len(want.fixes))
	}
}

// An empty or cut MANIFEST is refused the same way.
func TestOpenRefusesTruncatedManifest(t *testing.T) {
	t.Parallel()
	for _, cut := range []int64{0, 5, -7} {
		dir, want := storeWithData(t)
		mf := filepath.Join(dir, "MANIFEST")
		orig, err := os.ReadFile(mf)
		if err != nil {
			t.Fatal(err)
		}
		n := cut
		if n < 0 {
			n += int64(len(orig))
		}
		if err := os.Truncate(mf, n); err != nil {
			t.Fatal(err)
		}
		refusedUntouched(t, dir, "MANIFEST")
		if err := os.WriteFile(mf, orig, 0o600); err != nil {
			t.Fatal(err)
		}
		if got := readSnapshot(t, dir); !reflect.DeepEqual(got, want) {
			t.Errorf("cut %d: data changed across the refused open", cut)
		}
	}
}

// A truncated table is named in a clear error instead of a panic.
func TestOpenNamesTruncatedTable(t *testing.T) {
	t.Parallel()
	dir, _ := storeWithData(t)
	chk, err := db.CheckDir(dir)
	if err != nil || len(chk.Tables) == 0 || len(chk.Problems) != 0 {
		t.Fatalf("healthy store: %+v, %v", chk, err)
	}
	victim := chk.Tables[0]
	if err := os.Truncate(filepath.Join(dir, victim.Name), victim.Size/2); err != nil {
		t.Fatal(err)
	}
	refusedUntouched(t, dir, victim.Name, "truncated")
}

// A table the MANIFEST does not name yet, newer than every table it names,
// is what a kill -9 during a flush leaves: the store opens (Badger drops
// that table; its contents live on elsewhere).
func TestOpenAcceptsCrashLeftoverTable(t *testing.T) {
	t.Parallel()
	dir, want := storeWithData(t)
	chk, err := db.CheckDir(dir)
	if err != nil || len(chk.Tables) == 0 {
		t.Fatalf("check: %+v, %v", chk, err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, chk.Tables[0].Name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "999999.sst"), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := readSnapshot(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("data changed after a crash leftover was dropped")
	}
}

// A new, empty directory is a new store.
func TestCheckDirOfNewStoreIsClean(t *testing.T) {
	t.Parallel()
	chk, err := db.CheckDir(filepath.Join(t.TempDir(), "none"))
	if err != nil || chk.Err() != nil || chk.Exists {
		t.Fatalf("missing dir: %+v %v", chk, err)
	}
	s, dir := diskStore(t)
	s.Close()
	chk, err = db.CheckDir(dir)
	if err != nil || chk.Err() != nil || chk.Manifest != db.ManifestOK {
		t.Fatalf("fresh store: %+v %v", chk, err)
	}
}
