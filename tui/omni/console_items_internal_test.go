package omni

import (
	"testing"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/rules"
)

// The console's violation items are made on demand from what each violation
// holds: every field the console shows or opens, and the line's tags.
func TestSearchItemsMakeViolationItems(t *testing.T) {
	pols := []rules.Policy{{ID: "s3-public", Name: "S3 bucket is public", Resources: []string{"aws.s3.bucket"}, Severity: "high", Category: "exposure"}}
	vs := []rules.Violation{
		{ID: "v1", PolicyID: "s3-public", AssetID: "arn:aws:s3:::b1", AssetType: "aws.s3.bucket", AssetName: "b1", Account: "111111111111", Region: "us-east-1", Severity: "high", Message: "bucket b1 is public", Status: rules.StatusOpen},
		{ID: "v2", PolicyID: "ebs-unencrypted", AssetID: "arn:aws:ec2:eu-west-1:2:volume/vol-2", AssetType: "aws.ec2.volume", AssetName: "vol-2", Account: "222222222222", Region: "eu-west-1", Severity: "medium", Message: "volume vol-2 is not encrypted", Status: rules.StatusOpen},
	}
	s := newConsoleItems(pols, vs)
	if s.Len() != 3 {
		t.Fatalf("Len %d, want 3", s.Len())
	}
	if it := s.Item(0); it.Kind != KindPolicy || it.ID != "s3-public" || it.Type != "aws.s3.bucket" {
		t.Fatalf("item 0 %+v, want the policy", it)
	}
	for k, v := range vs {
		it := s.Item(1 + k)
		want := Item{Kind: KindViolation, ID: v.ID, Title: v.Message, AssetID: v.AssetID, Type: v.AssetType,
			Account: v.Account, Region: v.Region, HasViolations: true,
			Tags: asset.TagsOf(asset.TagPair{Key: "policy", Value: v.PolicyID}, asset.TagPair{Key: "asset", Value: v.AssetName},
				asset.TagPair{Key: "severity", Value: v.Severity})}
		if it != want {
			t.Fatalf("item %d %+v, want %+v", 1+k, it, want)
		}
	}
	ix := NewAssetIndex(nil, nil, s)
	r := ix.Search(t.Context(), Query{Text: "vol-2 medium"})
	if r.Total != 1 || r.Hits[0].Item.ID != "v2" || r.Hits[0].Item.AssetID != vs[1].AssetID {
		t.Fatalf("vol-2 medium: %d hits, want violation v2 of %s", r.Total, vs[1].AssetID)
	}
}
