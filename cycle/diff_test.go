package cycle

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

// diffWorld runs three daily scans over security groups:
//
//	S0: a, f, d open SSH; b, c closed
//	S1: f fixed (closed)
//	S2: a fixed, b deleted, c's description edited, e new and open, f open
//	    again, d exempted (exception added as S2 starts)
//
// and returns the cycle, the scans' results and the assets of S1.
func diffWorld(t *testing.T) (c *Cycle, res [3]*Result, a, b, cc, d, e, f asset.Asset) {
	t.Helper()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	c = newTestCycle(t, &now)
	a, b, cc = sg("us-east-1", "sg-a", true, nil), sg("us-east-1", "sg-b", false, nil), sg("us-east-1", "sg-c", false, nil)
	d, e, f = sg("us-east-1", "sg-d", true, nil), sg("us-east-1", "sg-e", true, nil), sg("us-east-1", "sg-f", true, nil)
	src := &staticSource{units: []asset.UnitKey{sgUnit("us-east-1")}, assets: []asset.Asset{a, b, cc, d, f}}
	res[0] = mustRun(t, c, src)

	now = now.AddDate(0, 0, 1)
	fFixed := sg("us-east-1", "sg-f", false, nil)
	src.assets = []asset.Asset{a, b, cc, d, fFixed}
	res[1] = mustRun(t, c, src)

	now = now.AddDate(0, 0, 1)
	vd, err := c.Store.Violations(dbFilter(openSSH, d.ID))
	if err != nil || len(vd) != 1 {
		t.Fatalf("violation of d: %v %v", vd, err)
	}
	if _, err := AddException(context.Background(), c, rules.Exception{Kind: rules.ExceptionIndividual, ViolationID: vd[0].ID,
		Reason: "bastion", Expires: now.AddDate(0, 0, 30)}, TestActor("alice")); err != nil {
		t.Fatal(err)
	}
	aFixed := sg("us-east-1", "sg-a", false, nil)
	cEdited := sg("us-east-1", "sg-c", false, nil)
	cEdited.Attrs["description"] = "edited"
	src.assets = []asset.Asset{aFixed, cEdited, d, e, f}
	res[2] = mustRun(t, c, src)
	return c, res, a, b, cc, d, e, f
}

func TestDiffScansAssetsViolationsAndJSONShape(t *testing.T) {
	t.Parallel()
	c, res, a, b, cc, d, e, f := diffWorld(t)
	got, err := c.DiffScans(DiffOptions{}, nil) // defaults: S1 -> S2
	if err != nil {
		t.Fatal(err)
	}
	if got.From.Scan != res[1].Scan.ID || got.To.Scan != res[2].Scan.ID {
		t.Fatalf("default pair %s -> %s, want %s -> %s", got.From.Scan, got.To.Scan, res[1].Scan.ID, res[2].Scan.ID)
	}
	if len(got.Assets.Added) != 1 || got.Assets.Added[0].ID != e.ID {
		t.Errorf("added = %+v, want %s", got.Assets.Added, e.ID)
	}
	if len(got.Assets.Removed) != 1 || got.Assets.Removed[0].ID != b.ID {
		t.Errorf("removed = %+v, want %s", got.Assets.Removed, b.ID)
	}
	changed := map[string][]asset.Change{}
	for _, ch := range got.Assets.Changed {
		changed[ch.ID] = ch.Changes
	}
	if len(changed) != 3 || changed[a.ID] == nil || changed[cc.ID] == nil || changed[f.ID] == nil {
		t.Fatalf("changed = %v, want a, c and f", changed)
	}
	if cs := changed[cc.ID]; len(cs) != 1 || cs[0].Path != "description" || cs[0].Before != "" || cs[0].After != "edited" {
		t.Errorf("c's changes = %+v, want description \"\" -> edited", cs)
	}
	if cs := changed[a.ID]; len(cs) != 1 || cs[0].Path != "ingress" || cs[0].After == nil {
		t.Errorf("a's changes = %+v, want the ingress list", cs)
	}
	want := map[string]struct {
		list  []ViolationRef
		asset string
	}{
		"opened": {got.Violations.Opened, e.ID}, "closed": {got.Violations.Closed, a.ID},
		"exempted": {got.Violations.Exempted, d.ID}, "reopened": {got.Violations.Reopened, f.ID},
	}
	for what, w := range want {
		found := false
		for _, r := range w.list {
			if r.PolicyID == openSSH && r.AssetID == w.asset {
				found = true
			}
		}
		if !found {
			t.Errorf("%s = %+v, want %s on %s", what, w.list, openSSH, w.asset)
		}
	}
	if c := got.Compliance["all"]; c.Before == nil || c.After == nil || c.Change == nil || *c.Change != *c.After-*c.Before {
		t.Errorf("compliance of all = %+v, want before, after and their difference", c)
	}

	// The JSON shape the issue fixes, field by field.
	raw, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"from", "to", "assets", "violations", "compliance"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON has no %q: %s", k, raw)
		}
	}
	as := m["assets"].(map[string]any)
	for _, k := range []string{"added", "removed", "changed"} {
		if _, ok := as[k].([]any); !ok {
			t.Errorf("assets.%s is not a list", k)
		}
	}
	for _, ch := range as["changed"].([]any) {
		chm := ch.(map[string]any)
		if _, ok := chm["id"].(string); !ok {
			t.Errorf("changed entry without id: %v", chm)
		}
		for _, x := range chm["changes"].([]any) {
			xm := x.(map[string]any)
			for _, k := range []string{"path", "before", "after"} {
				if _, ok := xm[k]; !ok {
					t.Errorf("change without %q: %v", k, xm)
				}
			}
		}
	}
	vs := m["violations"].(map[string]any)
	for _, k := range []string{"opened", "closed", "exempted", "reopened"} {
		list, ok := vs[k].([]any)
		if !ok || len(list) == 0 {
			t.Errorf("violations.%s = %v, want a non-empty list", k, vs[k])
		}
		for _, x := range list {
			xm := x.(map[string]any)
			for _, f := range []string{"id", "policy_id", "asset_id"} {
				if s, _ := xm[f].(string); s == "" {
					t.Errorf("violations.%s entry without %s: %v", k, f, xm)
				}
			}
		}
	}
	if _, ok := m["compliance"].(map[string]any)["all"]; !ok {
		t.Errorf("compliance has no entry for group all: %v", m["compliance"])
	}
}

func TestDiffScansExplicitPairAndGroup(t *testing.T) {
	t.Parallel()
	c, res, _, _, _, _, _, f := diffWorld(t)
	// S0 -> S1: only f changed (fixed) and its violation closed.
	got, err := c.DiffScans(DiffOptions{From: res[0].Scan.ID, To: res[1].Scan.ID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Assets.Changed) != 1 || got.Assets.Changed[0].ID != f.ID || len(got.Assets.Added)+len(got.Assets.Removed) != 0 {
		t.Errorf("S0 -> S1 assets = %+v, want only f changed", got.Assets)
	}
	if len(got.Violations.Closed) != 1 || got.Violations.Closed[0].AssetID != f.ID || len(got.Violations.Opened) != 0 {
		t.Errorf("S0 -> S1 violations = %+v, want f's closed", got.Violations)
	}
	// The region every asset is in sees all of S1 -> S2, removed b included
	// (judged by its last document); another account's group sees nothing.
	got, err = c.DiffScans(DiffOptions{Group: "region:us-east-1"}, nil)
	if err != nil || len(got.Assets.Changed) != 3 || len(got.Assets.Removed) != 1 || len(got.Violations.Opened) == 0 {
		t.Errorf("diff of region:us-east-1 = %+v, %v; want 3 changed, 1 removed, opened violations", got, err)
	}
	got, err = c.DiffScans(DiffOptions{Group: "account:" + acct}, Scope{})
	if err != nil || !got.Empty() {
		t.Errorf("diff within an empty scope = %+v, %v; want nothing", got, err)
	}
	if _, err := c.DiffScans(DiffOptions{Group: "no-such-group"}, nil); err == nil {
		t.Error("diff of an unknown group succeeded")
	}
	// Newer first is refused.
	if _, err := c.DiffScans(DiffOptions{From: res[2].Scan.ID, To: res[0].Scan.ID}, nil); err == nil {
		t.Error("diff with --from newer than --to succeeded")
	}
}

func TestAssetAtByScanAndDay(t *testing.T) {
	t.Parallel()
	c, res, a, _, _, _, e, _ := diffWorld(t)
	// a had its open ingress until S2 fixed it.
	old, label, err := AssetAt(c.Store, a.ID, res[1].Scan.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ing, _ := old.Attrs["ingress"].([]any); len(ing) != 1 || label == "" {
		t.Errorf("a as S1 left it: ingress %v (label %q), want the one open rule", old.Attrs["ingress"], label)
	}
	cur, _, err := AssetAt(c.Store, a.ID, res[2].Scan.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ing, _ := cur.Attrs["ingress"].([]any); len(ing) != 0 {
		t.Errorf("a as S2 left it: ingress %v, want none", cur.Attrs["ingress"])
	}
	// By day: the end of S1's day is before S2 started.
	day := res[1].Scan.Started.Format("2006-01-02")
	byDay, _, err := AssetAt(c.Store, a.ID, day)
	if err != nil {
		t.Fatal(err)
	}
	if ing, _ := byDay.Attrs["ingress"].([]any); len(ing) != 1 {
		t.Errorf("a at the end of %s: ingress %v, want the open rule", day, byDay.Attrs["ingress"])
	}
	if _, _, err := AssetAt(c.Store, e.ID, day); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("e (created by S2) at %s = %v, want not found", day, err)
	}
	if _, _, err := AssetAt(c.Store, a.ID, "last tuesday"); err == nil {
		t.Error("--at with no scan, day or time succeeded")
	}
}

func TestAssetHistoryScanByScan(t *testing.T) {
	t.Parallel()
	c, res, a, b, _, _, e, f := diffWorld(t)
	// f: fixed by S1, open again in S2 — newest first.
	hf, err := c.AssetHistory(f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(hf) != 2 || hf[0].Scan != res[2].Scan.ID || hf[1].Scan != res[1].Scan.ID ||
		hf[0].Kind != ChangeChanged || len(hf[0].Changes) != 1 || hf[0].Changes[0].Path != "ingress" {
		t.Errorf("history of f = %+v, want S2 then S1, each changing ingress", hf)
	}
	for _, tc := range []struct {
		id, kind string
	}{{a.ID, ChangeChanged}, {b.ID, ChangeRemoved}, {e.ID, ChangeAdded}} {
		h, err := c.AssetHistory(tc.id)
		if err != nil || len(h) != 1 || h[0].Kind != tc.kind || h[0].Scan != res[2].Scan.ID {
			t.Errorf("history of %s = %+v, %v; want one %s by S2", tc.id, h, err, tc.kind)
		}
	}
}
