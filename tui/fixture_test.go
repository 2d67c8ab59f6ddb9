package tui

import (
	"fmt"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// fixtureAssets is a small hand-made estate for golden frames: unlike the
// demo inventory it never changes under the test.
func fixtureAssets() []asset.Asset {
	seen := testNow.Add(-72 * time.Hour)
	mk := func(typ, id, name, acct, region string, tags map[string]string, attrs map[string]any) asset.Asset {
		return asset.Asset{ID: id, Type: typ, Name: name, Account: acct, Region: region, Tags: tags,
			Source: "fixture", FirstSeen: seen, LastSeen: testNow, Attrs: attrs}
	}
	var out []asset.Asset
	for i, acct := range []string{"111111111111", "222222222222"} {
		for j := 0; j < 3; j++ {
			n := fmt.Sprintf("%d%d", i, j)
			owner := map[string]string{"Owner": "team-" + n, "Environment": "prod"}
			if j == 2 {
				owner = map[string]string{"Environment": "dev"}
			}
			out = append(out,
				mk(asset.TypeS3Bucket, "arn:aws:s3:::bucket-"+n, "bucket-"+n, acct, "us-east-1", owner,
					map[string]any{"public_access_block": map[string]any{"configured": j != 0}}),
				mk(asset.TypeVolume, "arn:aws:ec2:eu-west-1:"+acct+":volume/vol-"+n, "vol-"+n, acct, "eu-west-1", owner,
					map[string]any{"encrypted": j == 1, "state": map[bool]string{true: "available", false: "in-use"}[j == 2]}),
				mk(asset.TypeEC2Instance, "arn:aws:ec2:eu-west-1:"+acct+":instance/i-"+n, "web-"+n, acct, "eu-west-1", owner,
					map[string]any{"state": "running", "imds": map[string]any{"http_tokens": map[bool]string{true: "required", false: "optional"}[j == 0]},
						"volume_ids": []any{"vol-" + n}}),
			)
		}
	}
	return out
}

// fixtureBackend is the fake over the fixture estate.
func fixtureBackend() *fakeBackend { return newFakeBackend(fixtureAssets()) }
