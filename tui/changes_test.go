package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
)

// changesFake is the fixture backend with scan diffs and asset history.
type changesFake struct {
	*fakeBackend
	diff    *cycle.ScanDiff
	history map[string][]cycle.AssetHistoryEntry
	asked   []cycle.DiffOptions
}

func (f *changesFake) DiffScans(o cycle.DiffOptions) (*cycle.ScanDiff, error) {
	f.asked = append(f.asked, o)
	return f.diff, nil
}

func (f *changesFake) AssetHistory(id string) ([]cycle.AssetHistoryEntry, error) {
	return f.history[id], nil
}

func newChangesFake() *changesFake {
	vol := "arn:aws:ec2:eu-west-1:111111111111:volume/vol-00"
	return &changesFake{
		fakeBackend: fixtureBackend(),
		diff: &cycle.ScanDiff{
			From: cycle.DiffSide{Scan: "s1", Started: testNow.Add(-48 * time.Hour)},
			To:   cycle.DiffSide{Scan: "s2", Started: testNow.Add(-24 * time.Hour)},
			Assets: cycle.AssetChanges{Changed: []cycle.AssetChange{{
				AssetRef: cycle.AssetRef{ID: vol, Type: asset.TypeVolume},
				Changes:  []asset.Change{{Path: "encryption.kms_key", Before: nil, After: "alias/ebs"}},
			}}},
			Violations: cycle.ViolationChanges{Closed: []cycle.ViolationRef{{ID: "v1", PolicyID: "ebs-volume-unencrypted",
				AssetID: vol, Severity: "high", Before: "open", After: "closed"}}},
		},
		history: map[string][]cycle.AssetHistoryEntry{vol: {{Scan: "s2", At: testNow.Add(-24 * time.Hour),
			Kind: cycle.ChangeChanged, Changes: []asset.Change{{Path: "state", Before: "available", After: "in-use"}}}}},
	}
}

func TestChangesPageFromPaletteShowsPathsAndViolations(t *testing.T) {
	t.Parallel()
	b := newChangesFake()
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("changes")
	d.key("enter")
	d.mustSee("~ asset")
	d.mustSee("encryption.kms_key: ∅ → \"alias/ebs\"") // the row under the cursor, detailed below
	d.mustSee("closed")
	d.mustSee("ebs-volume-unencrypted")
	if v := d.view(); !strings.Contains(v, "violations 0 opened, 1 closed") {
		t.Errorf("headline lacks the violation counts:\n%s", v)
	}
	d.key("enter") // opens the changed asset
	if ts := d.titles(); ts[len(ts)-1] != "vol-00" {
		t.Errorf("enter on a changed asset opened %v, want its asset page", ts)
	}
}

func TestScansEnterOpensThatScansChanges(t *testing.T) {
	t.Parallel()
	b := newChangesFake()
	b.scans = []asset.Scan{{ID: "scan-x", Started: testNow.Add(-time.Hour), Status: asset.ScanComplete}}
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("scans")
	d.key("enter")
	d.key("enter")
	if ts := d.titles(); ts[len(ts)-1] != "Changes" {
		t.Fatalf("enter on a scan opened %v, want Changes", ts)
	}
	if last := b.asked[len(b.asked)-1]; last.To != "scan-x" || last.From != "" {
		t.Errorf("diff asked for %+v, want To scan-x and the default From", last)
	}
}

func TestAssetChangesTab(t *testing.T) {
	t.Parallel()
	b := newChangesFake()
	d := newDriver(t, b, Options{})
	d.run(push(newAssetPage(d.m.c, "arn:aws:ec2:eu-west-1:111111111111:volume/vol-00")))
	d.key("6")
	d.mustSee("[6 Changes]")
	d.mustSee("scan s2  changed (1)")
	d.mustSee("state: \"available\" → \"in-use\"")

	// A backend without history says so in the tab.
	plain := newDriver(t, fixtureBackend(), Options{})
	plain.run(push(newAssetPage(plain.m.c, "arn:aws:ec2:eu-west-1:111111111111:volume/vol-00")))
	plain.key("6")
	plain.mustSee("not available")
}
