package tui

import (
	"testing"

	"github.com/vigil-sec/vigil/fix"
)

// `:fixes` opens the audit trail: each record with who, what and the
// result, and the calls and before/after of the one under the cursor.
func TestFixesPageShowsTheAuditTrail(t *testing.T) {
	b := fixtureBackend()
	b.fixes = []fix.Record{{ID: "fix-1", Action: "ec2-require-imdsv2", Status: fix.RecordApplied, By: "alice",
		At: testNow, AssetID: "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc",
		Calls:  []fix.Call{{Service: "ec2", Op: "ModifyInstanceMetadataOptions", Params: map[string]any{"HttpTokens": "required"}}},
		Before: map[string]any{"http_tokens": "optional"}, After: map[string]any{"http_tokens": "required"}}}
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("fixes")
	d.key("enter")
	d.mustSee("ec2-require-imdsv2")
	d.mustSee("alice")
	d.mustSee("ModifyInstanceMetadataOptions")
	d.mustSee(`before {"http_tokens":"optional"}`)
	d.key("enter")
	if _, ok := d.m.top().(*assetPage); !ok {
		t.Fatalf("enter on a fix record opened %T, want the asset", d.m.top())
	}
}
