package omni_test

import (
	"context"
	"testing"

	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/tui/omni"
)

func TestPoliciesAndViolationsSearchable(t *testing.T) {
	items := omni.ItemsFromPolicies([]rules.Policy{{
		ID: "s3-bucket-public-read", Name: "S3 bucket grants public read", Resources: []string{"aws.s3.bucket"},
		Severity: "critical", Category: "security", Frameworks: []string{"cis-aws-3.0:2.1.4"},
	}})
	items = append(items, omni.ItemsFromViolations([]rules.Violation{{
		ID: "v1", PolicyID: "ec2-imdsv2-required", AssetID: "arn:aws:ec2:eu-west-1:111111111111:instance/i-0abc",
		AssetType: "aws.ec2.instance", AssetName: "web-1", Account: "111111111111", Region: "eu-west-1",
		Severity: "high", Status: rules.StatusOpen, Message: "instance web-1 allows IMDSv1",
	}})...)
	ix := omni.NewIndex(items)
	violation := omni.KindViolation
	cases := []struct {
		text string
		f    omni.Facets
		want string
	}{
		{"public read critical", omni.Facets{}, "s3-bucket-public-read"},
		{"cis-aws-3.0", omni.Facets{}, "s3-bucket-public-read"},
		{"imdsv1 web-1", omni.Facets{Region: "eu-west-1"}, "v1"},
		{"status=open", omni.Facets{Kind: &violation}, "v1"},
	}
	for _, c := range cases {
		r := ix.Search(context.Background(), omni.Query{Text: c.text, Facets: c.f})
		if len(r.Hits) == 0 || r.Hits[0].Item.ID != c.want {
			t.Errorf("%q: %d hits, want %s first", c.text, len(r.Hits), c.want)
		}
	}
	if !items[1].HasViolations || items[0].Kind != omni.KindPolicy || items[1].Kind != omni.KindViolation {
		t.Fatalf("items %+v", items)
	}
}
