package demo

import (
	"reflect"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/scanner"
)

const worldAcct = "111122223333"

var worldNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// smallWorld is a world over a store with a public bucket, two volumes
// (one attached) and the account asset.
func smallWorld(t *testing.T) (*World, *db.Store) {
	t.Helper()
	st, err := db.Open(t.TempDir(), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	vol := func(id, state string, attachments []any) asset.Asset {
		return asset.Asset{ID: "arn:aws:ec2:eu-west-1:" + worldAcct + ":volume/" + id, Type: asset.TypeVolume, Name: id, Account: worldAcct,
			Region: "eu-west-1", Source: "demo", Attrs: map[string]any{"volume_id": id, "state": state, "size_gb": int64(100),
				"volume_type": "gp3", "encrypted": false, "kms_key_id": "", "snapshot_id": "", "availability_zone": "eu-west-1a",
				"create_time": "2026-01-01T00:00:00Z", "attachments": attachments}}
	}
	as := []asset.Asset{
		{ID: "arn:aws:s3:::pics", Type: asset.TypeS3Bucket, Name: "pics", Account: worldAcct, Region: "us-east-1", Source: "demo",
			Attrs: map[string]any{"bucket": "pics", "acl": map[string]any{"owner": "c0ffee", "grants": []any{
				map[string]any{"grantee": "c0ffee", "grantee_type": "CanonicalUser", "permission": "FULL_CONTROL"},
				map[string]any{"grantee": "AllUsers", "grantee_type": "Group", "permission": "READ"},
			}}}},
		vol("vol-0aaa", "available", []any{}),
		vol("vol-0bbb", "in-use", []any{map[string]any{"instance_id": "i-0abc", "device": "/dev/xvdf", "state": "attached"}}),
		{ID: asset.AccountID(worldAcct), Type: asset.TypeAccount, Name: "acme", Account: worldAcct, Region: asset.Global, Source: "demo",
			Attrs: map[string]any{"account_id": worldAcct}},
	}
	if err := st.PutAssets(as); err != nil {
		t.Fatal(err)
	}
	return NewWorld(st, WithClock(func() time.Time { return worldNow })), st
}

// listUnit lists a unit through the world's collector, as verification does.
func listUnit(t *testing.T, w *World, typ, region string) map[string]asset.Asset {
	t.Helper()
	col, ok := w.Collectors().Get(typ)
	if !ok {
		t.Fatalf("no collector for %s", typ)
	}
	list, err := col.Collect(t.Context(), &scanner.Session{Account: worldAcct, Region: region})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]asset.Asset{}
	for _, a := range list {
		out[a.ID] = a
	}
	return out
}

func TestWorldCollectorsListUnitsWithTheOverlay(t *testing.T) {
	w, _ := smallWorld(t)
	if got := w.Accounts(); !reflect.DeepEqual(got, []string{worldAcct}) {
		t.Errorf("accounts %v", got)
	}
	if got := listUnit(t, w, asset.TypeVolume, "eu-west-1"); len(got) != 2 {
		t.Errorf("eu-west-1 volumes: %d, want 2", len(got))
	}
	if got := listUnit(t, w, asset.TypeVolume, "us-east-1"); len(got) != 0 {
		t.Errorf("us-east-1 volumes: %v, want none", got)
	}
	if got := listUnit(t, w, asset.TypeS3Bucket, asset.Global); len(got) != 1 {
		t.Errorf("buckets of the account's global unit: %d, want 1", len(got))
	}
	b, err := w.Asset("arn:aws:s3:::pics")
	if err != nil {
		t.Fatal(err)
	}
	b.Attrs["acl"].(map[string]any)["grants"] = []any{}
	w.Put(*b)
	if got := listUnit(t, w, asset.TypeS3Bucket, asset.Global)[b.ID]; len(got.Attrs["acl"].(map[string]any)["grants"].([]any)) != 0 {
		t.Errorf("the collector does not show the changed bucket: %v", got.Attrs["acl"])
	}
}

func TestRemovePublicACLKeepsOwnerAndUndoes(t *testing.T) {
	w, st := smallWorld(t)
	ctx := t.Context()
	act, _ := w.Actions().Get("s3-remove-public-acl")
	a, _ := st.Asset("arn:aws:s3:::pics")
	p, err := act.Plan(ctx, fix.Target{Asset: a})
	if err != nil || p.Noop || len(p.Calls) != 1 || p.Calls[0].Op != "PutBucketAcl" {
		t.Fatalf("plan %+v %v", p, err)
	}
	after, err := act.Apply(ctx, fix.Target{Asset: a}, p)
	if err != nil {
		t.Fatal(err)
	}
	grants := listUnit(t, w, asset.TypeS3Bucket, asset.Global)[a.ID].Attrs["acl"].(map[string]any)["grants"].([]any)
	if len(grants) != 1 || grants[0].(map[string]any)["grantee"] != "c0ffee" {
		t.Errorf("grants after the fix: %v, want only the owner's", grants)
	}
	if err := act.Undo(ctx, fix.Target{Asset: a}, &fix.Record{ID: "r1", AssetID: a.ID, Before: p.Before, After: after}); err != nil {
		t.Fatal(err)
	}
	back, _ := w.Asset(a.ID)
	if !reflect.DeepEqual(back.Attrs, a.Attrs) {
		t.Errorf("after undo %v, want %v", back.Attrs, a.Attrs)
	}
	if p2, err := act.Plan(ctx, fix.Target{Asset: a}); err != nil || p2.Noop {
		t.Errorf("plan after undo: %+v %v, want the public grant back", p2, err)
	}
}

func TestDeleteVolumeKeepsASnapshotAndUndoes(t *testing.T) {
	w, st := smallWorld(t)
	ctx := t.Context()
	act, _ := w.Actions().Get("ec2-delete-unattached-volume")
	inUse, _ := st.Asset("arn:aws:ec2:eu-west-1:" + worldAcct + ":volume/vol-0bbb")
	if _, err := act.Plan(ctx, fix.Target{Asset: inUse}); err == nil {
		t.Error("planned to delete an attached volume")
	}
	a, _ := st.Asset("arn:aws:ec2:eu-west-1:" + worldAcct + ":volume/vol-0aaa")
	p, err := act.Plan(ctx, fix.Target{Asset: a})
	if err != nil || !p.Destructive || !p.Undoable || len(p.Calls) != 2 {
		t.Fatalf("plan %+v %v", p, err)
	}
	after, err := act.Apply(ctx, fix.Target{Asset: a}, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := listUnit(t, w, asset.TypeVolume, "eu-west-1")[a.ID]; ok {
		t.Error("the deleted volume is still listed")
	}
	snaps := listUnit(t, w, asset.TypeSnapshot, "eu-west-1")
	if len(snaps) != 1 {
		t.Fatalf("snapshots after the delete: %v, want the safety snapshot", snaps)
	}
	for _, s := range snaps {
		if s.Attrs["volume_id"] != "vol-0aaa" || s.Attrs["snapshot_id"] != after["snapshot_id"] || s.Attrs["public"] != false {
			t.Errorf("safety snapshot %v, after-state %v", s.Attrs, after)
		}
	}
	if _, err := act.Apply(ctx, fix.Target{Asset: a}, p); err == nil {
		t.Error("a second apply of the same plan deleted a volume that is gone")
	}
	if err := act.Undo(ctx, fix.Target{Asset: a}, &fix.Record{ID: "r1", AssetID: a.ID, Before: p.Before, After: after}); err != nil {
		t.Fatal(err)
	}
	if got, ok := listUnit(t, w, asset.TypeVolume, "eu-west-1")[a.ID]; !ok || got.Attrs["state"] != "available" {
		t.Errorf("the volume did not come back: %v", got)
	}
}

func TestPatchAppliesFixesToAScan(t *testing.T) {
	w, st := smallWorld(t)
	ctx := t.Context()
	act, _ := w.Actions().Get("ec2-delete-unattached-volume")
	a, _ := st.Asset("arn:aws:ec2:eu-west-1:" + worldAcct + ":volume/vol-0aaa")
	p, err := act.Plan(ctx, fix.Target{Asset: a})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := act.Apply(ctx, fix.Target{Asset: a}, p); err != nil {
		t.Fatal(err)
	}
	scan := []asset.Asset{*a}
	if got := w.Patch(asset.UnitKey{Account: worldAcct, Region: "eu-west-1", Type: asset.TypeVolume}, scan); len(got) != 0 {
		t.Errorf("a re-scan brings back the deleted volume: %v", got)
	}
	if got := w.Patch(asset.UnitKey{Account: worldAcct, Region: "eu-west-1", Type: asset.TypeSnapshot}, nil); len(got) != 1 {
		t.Errorf("a re-scan of snapshots: %d, want the safety snapshot", len(got))
	}
}
