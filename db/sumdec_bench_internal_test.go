package db

import (
	"fmt"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// BenchmarkDecodeSummaries100k decodes 100k summaries from memory, as one
// AllSummaries worker does (without Badger): "own" gives every summary its
// own tags, "shared" shares equal sets through a tag table. Like the demo
// inventory's, the tags average ~180 bytes and about 4 sets in 10 are
// distinct (db cannot import demo).
func BenchmarkDecodeSummaries100k(b *testing.B) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	raws := make([][]byte, 100_000)
	for i := range raws {
		tags := map[string]string{
			"Environment": []string{"prod", "staging", "dev"}[i%3], "Owner": fmt.Sprintf("team-%02d@example.com", i%37),
			"CostCenter": fmt.Sprintf("cc-%04d", i%11), "Application": fmt.Sprintf("service-%03d", i%7),
			"ManagedBy": "terraform",
		}
		if i%5 < 2 {
			tags["Name"] = fmt.Sprintf("instance-%08d", i)
		}
		a := asset.Asset{ID: fmt.Sprintf("arn:aws:ec2:us-east-1:%012d:instance/i-%017x", i%100, i), Type: asset.TypeEC2Instance,
			Name: fmt.Sprintf("instance-%08d", i), Account: fmt.Sprintf("%012d", i%100), Region: "us-east-1",
			Source: "aws", Tags: tags, FirstSeen: now, LastSeen: now}
		s := a.Summary()
		raws[i] = encodeSummary(nil, &s)
	}
	out := make([]asset.Summary, len(raws))
	for _, shared := range []bool{false, true} {
		name := "own"
		if shared {
			name = "shared"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sd := sumDecoder{}
				if shared {
					sd.tags = newTagTable(0)
				}
				for i, raw := range raws {
					if err := sd.decode(raw, &out[i]); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(raws)), "ns/summary")
		})
	}
}
