package demo_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

// demoNow is the demo's fixed clock in these tests.
var demoNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// openDemo builds the demo store as `vigil demo` does and installs the
// simulated world as the cycle's fixer.
func openDemo(t *testing.T) (*cycle.Cycle, *demo.World) {
	t.Helper()
	clock := func() time.Time { return demoNow }
	c, err := cycle.OpenDemo(t.Context(), t.TempDir(), false, cycle.Deps{Now: clock})
	if err != nil {
		t.Fatalf("open demo: %v", err)
	}
	t.Cleanup(func() { c.Store.Close() })
	w := demo.NewWorld(c.Store, demo.WithClock(clock))
	c.SetFixer(cycle.NewOfflineFixer(w.Actions(), w.Collectors(), w.Accounts()))
	return c, w
}

// js is a value in JSON form, for comparing documents across number types.
func js(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// openViolations lists a policy's open violations.
func openViolations(t *testing.T, c *cycle.Cycle, policy string) []rules.Violation {
	t.Helper()
	vs, err := c.Store.Violations(db.ViolationFilter{PolicyID: policy, Status: []string{rules.StatusOpen}})
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// fourOn reports whether a Block Public Access state has every setting on.
func fourOn(v any) bool {
	m, _ := v.(map[string]any)
	return m["block_public_acls"] == true && m["ignore_public_acls"] == true && m["block_public_policy"] == true && m["restrict_public_buckets"] == true
}

// offends tells, per fix, whether a plan's before-state shows the value
// the policy objects to.
var offends = map[string]func(b map[string]any) bool{
	"s3-block-public-access":         func(b map[string]any) bool { return !fourOn(b["public_access_block"]) },
	"s3-account-block-public-access": func(b map[string]any) bool { return !fourOn(b["s3_public_access_block"]) },
	"s3-enable-encryption":           func(b map[string]any) bool { return b["encryption"].(map[string]any)["enabled"] == false },
	"s3-enable-versioning":           func(b map[string]any) bool { return b["status"] != "Enabled" },
	"ec2-require-imdsv2":             func(b map[string]any) bool { return b["http_tokens"] == "optional" },
	"ec2-snapshot-private":           func(b map[string]any) bool { return b["public"] == true },
	"kms-enable-rotation":            func(b map[string]any) bool { return b["rotation_enabled"] == false },
	"rds-disable-public-access":      func(b map[string]any) bool { return b["publicly_accessible"] == true },
	"cloudtrail-enable-log-validation": func(b map[string]any) bool {
		return b["log_file_validation"] == false
	},
	"ec2-release-eip":              func(b map[string]any) bool { return b["association_id"] == "" },
	"ec2-delete-unattached-volume": func(b map[string]any) bool { return b["state"] == "available" },
	"ec2-enable-ebs-default-encryption": func(b map[string]any) bool {
		return slices.Contains(slices.Collect(mapValues(b["ebs_default_encryption"])), any(false))
	},
	"ec2-revoke-public-ingress": func(b map[string]any) bool {
		return slices.ContainsFunc(b["ingress"].([]any), func(r any) bool {
			c := r.(map[string]any)["cidr"]
			return c == "0.0.0.0/0" || c == "::/0"
		})
	},
	"iam-deactivate-access-key": func(b map[string]any) bool {
		return slices.ContainsFunc(b["access_keys"].([]any), func(k any) bool { return k.(map[string]any)["status"] == "Active" })
	},
	"ecr-enable-scan-on-push": func(b map[string]any) bool { return b["scan_on_push"] == false },
	"dynamodb-enable-pitr":    func(b map[string]any) bool { return b["pitr_enabled"] == false },
	"sqs-remove-public-policy-statement": func(b map[string]any) bool {
		p, _ := b["policy"].(map[string]any)
		return p != nil && slices.ContainsFunc(p["statements"].([]any), func(s any) bool {
			return slices.Contains(s.(map[string]any)["principals"].([]any), any("*")) && len(s.(map[string]any)["conditions"].(map[string]any)) == 0
		})
	},
	"iam-set-password-policy": func(b map[string]any) bool {
		p := b["password_policy"].(map[string]any)
		return p["present"] == false || p["minimum_length"].(float64) < 14 || p["reuse_prevention"].(float64) < 24
	},
}

func mapValues(v any) func(func(any) bool) {
	return func(yield func(any) bool) {
		for _, x := range v.(map[string]any) {
			if !yield(x) {
				return
			}
		}
	}
}

// fixable picks, for policies a fix only partly addresses, a violation the
// fix does close (a stale console password is not an access key).
func fixable(policy string, a *asset.Asset) bool {
	if policy != "iam-credentials-unused" || a.Attrs["password_enabled"] == false {
		return true
	}
	used, _ := a.Attrs["password_last_used"].(string)
	if used == "" {
		used, _ = a.Attrs["create_date"].(string)
	}
	return rules.DaysSince(used, demoNow) <= 45
}

func TestDemoWorldHasEveryFixOfThePack(t *testing.T) {
	c, w := openDemo(t)
	if got, want := w.Actions().IDs(), fix.Default().IDs(); !reflect.DeepEqual(got, want) {
		t.Errorf("simulated fixes %v, want the real ones %v", got, want)
	}
	ps, _, err := c.Policies()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if _, ok := w.Actions().Get(p.Fix); p.Fix != "" && !ok {
			t.Errorf("policy %s names fix %s, which the demo world lacks", p.ID, p.Fix)
		}
	}
}

func TestDemoFixesPlanApplyVerifyUndo(t *testing.T) {
	c, w := openDemo(t)
	ctx := t.Context()
	ps, _, err := c.Policies()
	if err != nil {
		t.Fatal(err)
	}
	exercised := map[string]bool{}
	for _, p := range ps {
		if p.Fix == "" {
			continue
		}
		var v *rules.Violation
		var orig *asset.Asset
		for _, cand := range openViolations(t, c, p.ID) {
			a, err := w.Asset(cand.AssetID) // the world: the store keeps a fix's state after its undo until the next scan
			if err == nil && fixable(p.ID, a) {
				v, orig = &cand, a
				break
			}
		}
		if v == nil {
			t.Errorf("%s: no open violation its fix can close in the demo data", p.ID)
			continue
		}
		exercised[p.Fix] = true
		t.Run(p.ID, func(t *testing.T) {
			plan, err := c.PlanFix(ctx, v.ID)
			if err != nil {
				t.Fatalf("plan: %v", err)
			}
			if plan.Noop || len(plan.Calls) == 0 || plan.Summary == "" {
				t.Fatalf("plan of an open violation: noop %v, calls %v, summary %q", plan.Noop, plan.Calls, plan.Summary)
			}
			if !offends[p.Fix](plan.Before) {
				t.Errorf("the plan's before-state does not show the offending value: %v", plan.Before)
			}
			rec, err := c.ApplyFix(ctx, plan, cycle.TestActor("tester"))
			if err != nil {
				t.Fatalf("apply: %v (record %+v)", err, rec)
			}
			got, err := c.Store.Violation(v.ID)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Status != fix.RecordApplied || got.Status != rules.StatusClosed || got.Reason != "fixed by vigil "+rec.ID {
				t.Fatalf("after the fix: record %s, violation %s %q", rec.Status, got.Status, got.Reason)
			}
			if !plan.Undoable {
				if _, err := c.UndoFix(ctx, rec.ID, cycle.TestActor("tester")); err == nil {
					t.Error("undo of a fix that cannot be undone succeeded")
				}
				return
			}
			if _, err := c.UndoFix(ctx, rec.ID, cycle.TestActor("tester")); err != nil {
				t.Fatalf("undo: %v", err)
			}
			back, err := w.Asset(orig.ID)
			if err != nil {
				t.Fatalf("after undo: %v", err)
			}
			want := orig.Attrs
			if p.Fix == "s3-enable-versioning" { // AWS cannot return a bucket to never-versioned
				want = js(t, want).(map[string]any)
				want["versioning"].(map[string]any)["status"] = "Suspended"
			}
			if !reflect.DeepEqual(js(t, back.Attrs), js(t, want)) {
				t.Errorf("undo did not restore the resource:\n got %v\nwant %v", js(t, back.Attrs), js(t, want))
			}
		})
	}
	var missing []string
	for _, id := range fix.Default().IDs() {
		if !exercised[id] && id != "s3-remove-public-acl" { // no pack policy names it
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		t.Errorf("the demo data has no open violation for fixes %v", missing)
	}
}

func TestDemoFixRefusesDrift(t *testing.T) {
	c, w := openDemo(t)
	ctx := t.Context()
	vs := openViolations(t, c, "ec2-sg-open-ssh")
	if len(vs) == 0 {
		t.Fatal("fixture: the demo has no world-open SSH")
	}
	plan, err := c.PlanFix(ctx, vs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	a, err := w.Asset(vs[0].AssetID)
	if err != nil {
		t.Fatal(err)
	}
	a.Attrs["ingress"] = append(a.Attrs["ingress"].([]any), map[string]any{"protocol": "tcp", "from_port": int64(3389), "to_port": int64(3389),
		"cidr": "0.0.0.0/0", "ipv6": false, "source_group": "", "prefix_list": "", "description": "added by hand"})
	w.Put(*a)
	rec, err := c.ApplyFix(ctx, plan, cycle.TestActor("tester"))
	if !errors.Is(err, fix.ErrDrift) || rec.Status != fix.RecordRefused {
		t.Fatalf("apply after a change: %v, record %s; want refused for drift", err, rec.Status)
	}
	now, _ := w.Asset(a.ID)
	if !reflect.DeepEqual(js(t, now.Attrs), js(t, a.Attrs)) {
		t.Error("a refused fix changed the resource")
	}
	if v, _ := c.Store.Violation(vs[0].ID); v.Status != rules.StatusOpen {
		t.Errorf("violation after a refused fix: %s", v.Status)
	}
	plan, err = c.PlanFix(ctx, vs[0].ID) // a fresh plan sees both rules
	if err != nil {
		t.Fatal(err)
	}
	if rec, err := c.ApplyFix(ctx, plan, cycle.TestActor("tester")); err != nil || rec.Status != fix.RecordApplied {
		t.Fatalf("apply of a fresh plan: %v", err)
	}
	fixed, _ := w.Asset(a.ID)
	for _, r := range fixed.Attrs["ingress"].([]any) {
		if m := r.(map[string]any); m["cidr"] == "0.0.0.0/0" || m["cidr"] == "::/0" {
			if p := m["from_port"]; p == int64(22) || p == int64(3389) {
				t.Errorf("rule left open after the fix: %v", m)
			}
		}
	}
}

func TestDemoDestructiveFixesRefuseAttached(t *testing.T) {
	c, w := openDemo(t)
	ctx := t.Context()
	acts := w.Actions()
	for typ, id := range map[string]string{asset.TypeEIP: "ec2-release-eip", asset.TypeVolume: "ec2-delete-unattached-volume"} {
		var attached *asset.Asset
		_ = c.Store.AssetsOfType(typ, func(a *asset.Asset) error {
			if attached == nil && (a.Attrs["attached"] == true || a.Attrs["state"] == "in-use") {
				attached = a
			}
			return nil
		})
		if attached == nil {
			t.Fatalf("fixture: no attached %s in the demo", typ)
		}
		act, _ := acts.Get(id)
		if p, err := act.Plan(ctx, fix.Target{Asset: attached}); err == nil || !strings.Contains(err.Error(), "refusing") {
			t.Errorf("%s planned on attached %s: %+v %v", id, attached.ID, p, err)
		}
	}

	// attached between the plan and the apply: refused, nothing released
	vs := openViolations(t, c, "ec2-eip-unattached")
	if len(vs) == 0 {
		t.Fatal("fixture: no unattached Elastic IP")
	}
	plan, err := c.PlanFix(ctx, vs[0].ID)
	if err != nil || !plan.Destructive || plan.Undoable {
		t.Fatalf("plan: %+v %v; want destructive and not undoable", plan, err)
	}
	a, _ := w.Asset(vs[0].AssetID)
	a.Attrs["association_id"], a.Attrs["instance_id"], a.Attrs["attached"] = "eipassoc-0abc", "i-0abc", true
	w.Put(*a)
	if rec, err := c.ApplyFix(ctx, plan, cycle.TestActor("tester")); err == nil || rec.Status == fix.RecordApplied {
		t.Fatalf("released an Elastic IP attached after the plan: %+v", rec)
	}
	if _, err := w.Asset(a.ID); err != nil {
		t.Errorf("the attached Elastic IP is gone: %v", err)
	}
}

func TestDemoScanAfterAFixKeepsItFixed(t *testing.T) {
	c, w := openDemo(t)
	ctx := t.Context()
	vs := openViolations(t, c, "kms-key-rotation")
	if len(vs) == 0 {
		t.Fatal("fixture: every demo KMS key rotates")
	}
	plan, err := c.PlanFix(ctx, vs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ApplyFix(ctx, plan, cycle.TestActor("tester")); err != nil {
		t.Fatal(err)
	}
	src := w.Scan(demo.NewSource(func() time.Time { return demoNow }, 0))
	if _, err := c.Run(ctx, src, cycle.RunOptions{Source: "demo", By: "tester"}, nil); err != nil {
		t.Fatal(err)
	}
	if v, _ := c.Store.Violation(vs[0].ID); v.Status != rules.StatusClosed {
		t.Errorf("after a background scan the fixed violation is %s (%s)", v.Status, v.Reason)
	}
	a, err := c.Store.Asset(vs[0].AssetID)
	if err != nil || a.Attrs["rotation_enabled"] != true {
		t.Errorf("the scan stored the key as %v (%v)", a.Attrs["rotation_enabled"], err)
	}
}
