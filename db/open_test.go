package db_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

func TestSecondOpenNamesTheHolder(t *testing.T) {
	s, dir := diskStore(t)
	defer s.Close()
	_, err := db.Open(dir, db.Options{})
	if err == nil {
		t.Fatal("a second writable Open of a store in use succeeded")
	}
	want := fmt.Sprintf("store %s is in use by another vigil (pid %d: ", dir, os.Getpid())
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q\ndoes not contain %q", err, want)
	}
	if _, err := db.Open(dir, db.Options{ReadOnly: true}); err == nil {
		t.Error("a read-only Open of a store held by a writer succeeded")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "vigil.pid")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("vigil.pid left after Close: %v", err)
	}
	s2, err := db.Open(dir, db.Options{})
	if err != nil {
		t.Fatalf("reopen after Close: %v", err)
	}
	s2.Close()
}

func TestStoreFilesArePrivate(t *testing.T) {
	s, dir := diskStore(t)
	// Enough data for Badger to create value-log and memtable files.
	mustPut(t, s, mkAssets("111111111111", "us-east-1", asset.TypeVolume, 0, 2000))
	checkModes(t, dir, "while open")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	checkModes(t, dir, "after close")
}

func checkModes(t *testing.T, dir, when string) {
	t.Helper()
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o700 {
		t.Errorf("%s: store dir mode %v, want 0700", when, info.Mode().Perm())
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 3 {
		t.Fatalf("%s: only %d files in the store; the test checks nothing", when, len(entries))
	}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %s has mode %v, want 0600", when, e.Name(), fi.Mode().Perm())
		}
	}
}

func TestRunningScanIsAbortedOnReopen(t *testing.T) {
	s, dir := diskStore(t)
	unit := asset.UnitKey{Account: "111111111111", Region: "us-east-1", Type: asset.TypeVolume}
	done := &asset.Scan{ID: "old", Started: t0, Finished: t0.Add(time.Minute), Status: asset.ScanComplete}
	running := &asset.Scan{ID: "new", Started: t0.Add(time.Hour), Status: asset.ScanRunning,
		Units: []asset.Unit{{UnitKey: unit, Status: asset.UnitComplete, Assets: 3}}}
	for _, sc := range []*asset.Scan{done, running} {
		if err := s.PutScan(sc); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CompleteUnit(unit, mkAssets(unit.Account, unit.Region, unit.Type, 0, 3)); err != nil {
		t.Fatal(err)
	}
	s.Close() // as if the process had died mid-scan: the record still says running

	before := time.Now()
	s, err := db.Open(dir, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Scan("new")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != asset.ScanAborted || got.Finished.Before(before.Add(-time.Second)) {
		t.Errorf("interrupted scan: status %q finished %v; want aborted, finished at reopen", got.Status, got.Finished)
	}
	if len(got.Units) != 1 || got.Units[0].Status != asset.UnitComplete {
		t.Errorf("units of the aborted scan changed: %+v", got.Units)
	}
	if old, _ := s.Scan("old"); old.Status != asset.ScanComplete || !old.Finished.Equal(done.Finished) {
		t.Errorf("completed scan changed: %+v", old)
	}
	if n, _ := s.CountAssets(); n != 3 {
		t.Errorf("assets written by the completed unit: %d, want 3", n)
	}
}

func TestReadOnlyStoreRefusesWrites(t *testing.T) {
	s, dir := diskStore(t)
	a := mkAsset("111111111111", "us-east-1", asset.TypeVolume, 1)
	mustPut(t, s, []asset.Asset{a})
	if err := s.PutScan(&asset.Scan{ID: "s1", Started: t0, Status: asset.ScanRunning}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	ro, err := db.Open(dir, db.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open read-only: %v", err)
	}
	defer ro.Close()
	if got, err := ro.Asset(a.ID); err != nil || got.Name != a.Name {
		t.Errorf("read-only Asset = %v, %v", got, err)
	}
	if sc, err := ro.Scan("s1"); err != nil || sc.Status != asset.ScanRunning {
		t.Errorf("read-only open changed a running scan: %+v, %v", sc, err)
	}
	unit := asset.UnitKey{Account: a.Account, Region: a.Region, Type: a.Type}
	writes := map[string]error{
		"PutAssets":      ro.PutAssets([]asset.Asset{a}),
		"CompleteUnit":   second(ro.CompleteUnit(unit, nil)),
		"DeleteAssets":   ro.DeleteAssets([]string{a.ID}),
		"PutScan":        ro.PutScan(&asset.Scan{ID: "s2"}),
		"PutViolations":  ro.PutViolations([]rules.Violation{{ID: "v"}}),
		"PutException":   ro.PutException(&rules.Exception{ID: "x"}),
		"PutFixRecord":   ro.PutFixRecord(&fix.Record{ID: "f"}),
		"PutTrendPoint":  ro.PutTrendPoint(rules.TrendPoint{Group: "all", Domain: "cloud", Day: "2026-03-01"}),
		"PruneTrend":     ro.PruneTrend(t0),
		"PutGroup":       ro.PutGroup(groups.Group{Name: "g"}),
		"DeleteGroup":    ro.DeleteGroup("g"),
		"PutPolicyState": ro.PutPolicyState(rules.PolicyState{PolicyID: "p"}),
		"PutEvalStates":  ro.PutEvalStates(map[string]uint64{"a": 1}),
		"AppendAudit":    ro.AppendAudit(db.AuditEvent{At: t0, Action: "x"}),
		"CollectGarbage": ro.CollectGarbage(),
	}
	for name, err := range writes {
		if !errors.Is(err, db.ErrReadOnly) || !strings.Contains(err.Error(), "store opened read-only") {
			t.Errorf("%s on a read-only store: %v, want ErrReadOnly", name, err)
		}
	}
	if n, _ := ro.CountAssets(); n != 1 {
		t.Errorf("read-only store has %d assets after refused writes, want 1", n)
	}
}

func TestReadOnlyOpenOfMissingStoreFails(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nothing")
	if _, err := db.Open(dir, db.Options{ReadOnly: true}); err == nil {
		t.Error("read-only Open of a missing store succeeded")
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("read-only Open created %s", dir)
	}
}

func second[T any](_ T, err error) error { return err }

func TestCollectGarbageKeepsData(t *testing.T) {
	s, dir := diskStore(t)
	defer s.Close()
	as := mkAssets("111111111111", "us-east-1", asset.TypeVolume, 0, 500)
	for round := range 3 { // replace every document twice, then delete half
		for i := range as {
			as[i].Attrs["round"] = int64(round)
			as[i].Attrs["blob"] = strings.Repeat("x", 600)
		}
		mustPut(t, s, as)
	}
	var half []string
	for _, a := range as[:250] {
		half = append(half, a.ID)
	}
	if err := s.DeleteAssets(half); err != nil {
		t.Fatal(err)
	}
	if err := s.CollectGarbage(); err != nil {
		t.Fatalf("CollectGarbage: %v", err)
	}
	got, err := s.Asset(as[300].ID)
	if err != nil || got.Attrs["round"] != int64(2) {
		t.Errorf("after garbage collection: %v, %v; want the last round's document", got, err)
	}
	if n, _ := s.CountAssets(); n != 250 {
		t.Errorf("%d assets after garbage collection, want 250", n)
	}
	checkModes(t, dir, "after garbage collection")
	mem := memStore(t)
	if err := mem.CollectGarbage(); err != nil {
		t.Errorf("CollectGarbage in memory: %v", err)
	}
}

func TestLockErrorIgnoresStalePIDFile(t *testing.T) {
	s, dir := diskStore(t)
	defer s.Close()
	// A vigil.pid naming a process that no longer exists, as a crash leaves.
	if err := os.WriteFile(filepath.Join(dir, "vigil.pid"), []byte("999999999\nvigil old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := db.Open(dir, db.Options{})
	if err == nil || strings.Contains(err.Error(), "999999999") || !strings.Contains(err.Error(), "in use") {
		t.Errorf("lock error with a stale pid file: %v", err)
	}
}

func TestReadOnlyOpenOfUncleanCopyExplains(t *testing.T) {
	s, dir := diskStore(t)
	mustPut(t, s, mkAssets("111111111111", "us-east-1", asset.TypeVolume, 0, 500))
	cp := filepath.Join(t.TempDir(), "copy")
	copyDir(t, dir, cp) // copied while open: as a backup of a running vigil would be
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := db.Open(cp, db.Options{ReadOnly: true})
	if err == nil || !strings.Contains(err.Error(), "was not closed cleanly") {
		t.Fatalf("read-only open of an unclean copy: %v", err)
	}
	// The advice works: a writable open recovers it, then read-only opens.
	w, err := db.Open(cp, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := db.Open(cp, db.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if n, err := ro.CountAssets(); err != nil || n != 500 {
		t.Errorf("recovered copy holds %d assets, %v; want 500", n, err)
	}
}

// copyDir copies a store directory with cp, which keeps Badger's sparse
// value-log and memtable files sparse.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", from, to).CombinedOutput(); err != nil {
		t.Fatalf("cp -a %s %s: %v: %s", from, to, err, out)
	}
}
