package snapshot

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

var t0 = time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)

// fixtureStore holds two units of assets, a violation with history, an
// exception, a group, a scan and a trend point.
func fixtureStore(t *testing.T) *db.Store {
	t.Helper()
	st, err := db.Open("", db.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	as := []asset.Asset{
		{ID: "arn:aws:s3:::b1", Type: "aws.s3.bucket", Name: "b1", Account: "111111111111", Region: "us-east-1",
			Tags: map[string]string{"env": "prod"}, Source: "aws", FirstSeen: t0, LastSeen: t0,
			Attrs: map[string]any{"versioning": true, "size": int64(42), "ratio": 0.5, "list": []any{"a", int64(1)}}},
		{ID: "arn:aws:ec2:us-east-1:111111111111:volume/vol-1", Type: "aws.ec2.volume", Name: "v1",
			Account: "111111111111", Region: "us-east-1", Source: "aws", FirstSeen: t0, LastSeen: t0,
			Attrs: map[string]any{"encrypted": false, "size": int64(8)}},
	}
	if err := st.PutAssets(as); err != nil {
		t.Fatal(err)
	}
	closed := t0.Add(time.Hour)
	vs := []rules.Violation{{ID: "v1", PolicyID: "ebs-volume-encrypted", AssetID: as[1].ID, AssetType: as[1].Type,
		Status: rules.StatusClosed, OpenedAt: t0, ClosedAt: &closed, History: []rules.Transition{
			{At: t0, To: "open", By: "scan"}, {At: closed, From: "open", To: "closed", By: "scan", Reason: "passes"}}}}
	if err := st.PutViolations(vs); err != nil {
		t.Fatal(err)
	}
	if err := st.PutException(&rules.Exception{ID: "x1", Kind: rules.ExceptionIndividual, ViolationID: "v1", Reason: "ok", Author: "ann", Created: t0}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutGroup(groups.Group{Name: "prod"}); err != nil {
		t.Fatal(err)
	}
	sc := &asset.Scan{ID: "s1", Started: t0, Finished: t0.Add(time.Minute), Status: asset.ScanComplete, Source: "aws",
		Units: []asset.Unit{{UnitKey: asset.UnitKey{Account: "111111111111", Region: asset.Global, Type: "aws.s3.bucket"}, Status: asset.UnitComplete, Assets: 1}}}
	if err := st.PutScan(sc); err != nil {
		t.Fatal(err)
	}
	if err := st.PutTrendPoint(rules.TrendPoint{Group: "all", Domain: "cloud", Day: "2026-03-03", Overall: 90}); err != nil {
		t.Fatal(err)
	}
	return st
}

func exportFile(t *testing.T, st *db.Store) string {
	t.Helper()
	var buf bytes.Buffer
	gs, err := st.Groups() // the command passes the stored and config groups
	if err != nil {
		t.Fatal(err)
	}
	_, err = Export(st, &buf, ExportInput{Version: "1.2.3", Now: t0, Groups: gs,
		Policies: []Policy{{ID: "ebs-volume-encrypted", File: "ebs.yaml", YAML: "id: ebs-volume-encrypted\n"}}})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "s.vgl")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExportRestoreRoundTrip(t *testing.T) {
	t.Parallel()
	src := fixtureStore(t)
	path := exportFile(t, src)
	f, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dst, err := db.Open("", db.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	pdir := filepath.Join(t.TempDir(), "policies")
	m, err := Restore(f, dst, pdir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Assets != 2 || m.Violations != 1 || m.Counts["aws.s3.bucket"] != 1 || m.VigilVersion != "1.2.3" ||
		len(m.Accounts) != 1 || m.Accounts[0] != "111111111111" {
		t.Fatalf("manifest: %+v", m)
	}
	for _, id := range []string{"arn:aws:s3:::b1", "arn:aws:ec2:us-east-1:111111111111:volume/vol-1"} {
		want, _ := src.Asset(id)
		got, err := dst.Asset(id)
		if err != nil {
			t.Fatalf("asset %s not restored: %v", id, err)
		}
		ws, gs := want.Summary(), got.Summary()
		if ws.Hash != gs.Hash || !got.FirstSeen.Equal(want.FirstSeen) || got.Tags["env"] != want.Tags["env"] {
			t.Fatalf("asset %s differs: %+v vs %+v", id, got, want)
		}
	}
	got, _ := dst.Asset("arn:aws:s3:::b1")
	if _, ok := got.Attrs["size"].(int64); !ok {
		t.Fatalf("integer attribute came back as %T", got.Attrs["size"])
	}
	v, err := dst.Violation("v1")
	if err != nil || len(v.History) != 2 || v.Status != rules.StatusClosed {
		t.Fatalf("violation: %+v %v", v, err)
	}
	if xs, _ := dst.Exceptions(); len(xs) != 1 {
		t.Fatalf("exceptions: %v", xs)
	}
	if sc, err := dst.Scan("s1"); err != nil || len(sc.Units) != 1 {
		t.Fatalf("scan: %v %v", sc, err)
	}
	if gs, _ := dst.Groups(); len(gs) != 1 || gs[0].Name != "prod" {
		t.Fatalf("groups: %v", gs)
	}
	if tp, _ := dst.TrendPoints("all", "cloud", t0.AddDate(0, 0, -1)); len(tp) != 1 || tp[0].Overall != 90 {
		t.Fatalf("trend: %v", tp)
	}
	if y, err := os.ReadFile(filepath.Join(pdir, "ebs-volume-encrypted.yaml")); err != nil || !strings.Contains(string(y), "ebs-volume") {
		t.Fatalf("policy yaml: %q %v", y, err)
	}
}

func TestExportGroupKeepsOnlyMembers(t *testing.T) {
	t.Parallel()
	st := fixtureStore(t)
	var buf bytes.Buffer
	m, err := Export(st, &buf, ExportInput{Now: t0, Group: "buckets", Keep: map[string]bool{"arn:aws:s3:::b1": true}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Assets != 1 || m.Violations != 0 || m.Group != "buckets" {
		t.Fatalf("manifest: %+v", m)
	}
	f, err := NewFile("g.vgl", bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	if err := f.Read(Visitor{Asset: func(a *asset.Asset) error { ids = append(ids, a.ID); return nil }}); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 || ids[0] != "arn:aws:s3:::b1" {
		t.Fatalf("assets in a group export: %v", ids)
	}
}

// check opens and verifies raw bytes as a snapshot.
func check(raw []byte) error {
	f, err := NewFile("bad.vgl", bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return err
	}
	_, err = f.Verify()
	return err
}

func TestDamagedFilesAreRefused(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(exportFile(t, fixtureStore(t)))
	if err != nil {
		t.Fatal(err)
	}
	if err := check(raw); err != nil {
		t.Fatalf("intact file refused: %v", err)
	}
	flip := func(off int) []byte {
		b := append([]byte{}, raw...)
		b[off] ^= 0x40
		return b
	}
	cases := map[string]struct {
		raw  []byte
		want error
		text string
	}{
		"truncated":         {raw[:len(raw)-30], ErrDamaged, "truncated"},
		"truncated body":    {append(append([]byte{}, raw[:len(raw)/2]...), raw[len(raw)-trailerSize:]...), ErrDamaged, ""},
		"flipped body byte": {flip(len(raw) / 2), ErrDamaged, ""},
		"flipped checksum":  {flip(len(raw) - 20), ErrDamaged, "checksum"},
		"wrong magic":       {flip(0), ErrNotSnapshot, "magic"},
		"empty":             {nil, ErrNotSnapshot, "too short"},
	}
	for name, c := range cases {
		err := check(c.raw)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) || !strings.Contains(err.Error(), "bad.vgl") {
			t.Errorf("%s: got %v, want %v mentioning %q and the file", name, err, c.want, c.text)
		}
	}
}

func TestNewerFormatNamesTheVigilThatReadsIt(t *testing.T) {
	t.Parallel()
	raw, _ := os.ReadFile(exportFile(t, fixtureStore(t)))
	binary.BigEndian.PutUint32(raw[len(magic):], FormatVersion+1)
	err := check(raw)
	if err == nil || !strings.Contains(err.Error(), "vigil 1.2.3 or newer") {
		t.Fatalf("newer format: %v", err)
	}
}

// bomb frames a zstd stream of n zero bytes with a declared length.
func bomb(t *testing.T, n int, declared uint64) []byte {
	t.Helper()
	var body bytes.Buffer
	zw, _ := zstd.NewWriter(&body)
	zw.Write(make([]byte, n))
	zw.Close()
	out := append([]byte(magic), 0, 0, 0, 1, 0, 0)
	out = append(out, body.Bytes()...)
	out = binary.BigEndian.AppendUint64(out, declared)
	out = append(out, make([]byte, 32)...)
	return append(out, endMagic...)
}

func TestDecompressionBombIsRefused(t *testing.T) {
	t.Parallel()
	// Declared far beyond what the body could hold: refused before decoding.
	if err := check(bomb(t, 1<<10, 1<<40)); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "bomb") {
		t.Fatalf("huge declared size: %v", err)
	}
	// Declared small, body expands far beyond it: decoding stops at the cap.
	if err := check(bomb(t, 64<<20, 1000)); !errors.Is(err, ErrDamaged) {
		t.Fatalf("body larger than declared: %v", err)
	}
}
