package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
)

// The human form of a diff names each changed path with before -> after,
// counts every section, and never prints a raw escape from AWS data.
func TestPrintDiffShowsPathsAndCleansAWSData(t *testing.T) {
	t.Parallel()
	before, after := 80, 85
	change := after - before
	d := &cycle.ScanDiff{
		From: cycle.DiffSide{Scan: "s1"}, To: cycle.DiffSide{Scan: "s2"},
		Assets: cycle.AssetChanges{
			Added: []cycle.AssetRef{{ID: "arn:aws:s3:::evil\x1b]52;c;Y3VybA==\x07", Type: "aws.s3.bucket"}},
			Changed: []cycle.AssetChange{{AssetRef: cycle.AssetRef{ID: "arn:aws:ec2:eu-west-1:1:security-group/sg-1", Type: "aws.ec2.security-group"},
				Changes: []asset.Change{{Path: "tags.Owner", Before: "a", After: nil}}}},
		},
		Violations: cycle.ViolationChanges{Closed: []cycle.ViolationRef{{ID: "v", PolicyID: "ec2-sg-open-ssh", AssetID: "sg", Severity: "high"}}},
		Compliance: map[string]cycle.ComplianceChange{"all": {Before: &before, After: &after, Change: &change}},
	}
	var out bytes.Buffer
	printDiff(&out, d)
	s := out.String()
	for _, want := range []string{"assets: 1 added, 0 removed, 1 changed", `tags.Owner: "a" -> ∅`,
		"violations: 0 opened, 1 closed, 0 exempted, 0 re-opened", "ec2-sg-open-ssh", "80% -> 85% (+5)"} {
		if !strings.Contains(s, want) {
			t.Errorf("diff output lacks %q:\n%s", want, s)
		}
	}
	if strings.ContainsAny(s, "\x1b\x07") {
		t.Errorf("diff output carries raw control bytes:\n%q", s)
	}
}
