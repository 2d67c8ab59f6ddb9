package scanner

import (
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// fxCounts is how many assets of each type one account and region of the
// fixture holds, moto's defaults included: the default VPC (and its default
// security group), each VPC's default security group, each instance's root
// volume and the automated snapshot RDS takes of each database.
var fxCounts = map[string]int{
	asset.TypeEC2Instance:   2,
	asset.TypeSecurityGroup: 4, // default VPC's + 2 created VPCs' defaults + web
	asset.TypeVolume:        4, // 2 root + 2 created
	asset.TypeSnapshot:      2,
	asset.TypeVPC:           3,
	asset.TypeEIP:           2,
	asset.TypeRDSInstance:   2,
	asset.TypeRDSSnapshot:   4, // 2 manual + 2 automated
	asset.TypeLoadBalancer:  1,
}

func TestRunScansTwoAccountsAndTwoRegions(t *testing.T) {
	env := newRegionalEnv(t)
	now := time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC)
	r := &Runner{Registry: NewRegistry(regionalCollectors()...), Regions: fxRegions, Endpoint: env.srv.URL, Now: func() time.Time { return now }}

	plan := r.Plan(env.targets)
	if want := 2 * 2 * len(fxCounts); len(plan) != want {
		t.Fatalf("plan has %d units, want %d", len(plan), want)
	}
	units, assets := env.scan(t, r)
	if len(units) != len(plan) {
		t.Fatalf("handled %d units, want %d", len(units), len(plan))
	}
	for _, key := range plan {
		u := units[key]
		if u.Status != asset.UnitComplete {
			t.Errorf("unit %s = %s %q, want complete", key, u.Status, u.Error)
			continue
		}
		if u.Assets != fxCounts[key.Type] || len(assets[key]) != u.Assets {
			t.Errorf("unit %s: %d assets (%d handed back), want %d", key, u.Assets, len(assets[key]), fxCounts[key.Type])
		}
		for _, a := range assets[key] {
			if a.Account != key.Account || a.Region != key.Region || a.Type != key.Type || a.Source != "aws" || !a.LastSeen.Equal(now) {
				t.Errorf("%s: identity %s/%s/%s source %q seen %v, want the unit's", a.ID, a.Account, a.Region, a.Type, a.Source, a.LastSeen)
			}
			if !strings.Contains(a.ID, ":"+key.Region+":"+key.Account+":") {
				t.Errorf("%s: ARN does not name region %s and account %s", a.ID, key.Region, key.Account)
			}
			if a.Name == "" {
				t.Errorf("%s: empty name", a.ID)
			}
			checkDoc(t, a)
		}
	}

	// Each account sees its own fixture and not the other's.
	for _, acct := range []string{fxAccount1, fxAccount2} {
		other := fxAccount2
		if acct == fxAccount2 {
			other = fxAccount1
		}
		for _, region := range fxRegions {
			key := asset.UnitKey{Account: acct, Region: region, Type: asset.TypeEC2Instance}
			mine := env.seed(acct, region).instStrict
			theirs := env.seed(other, region).instStrict
			byID(t, assets, key, "arn:aws:ec2:"+region+":"+acct+":instance/"+mine)
			for _, a := range assets[key] {
				if a.Attrs["instance_id"] == theirs {
					t.Errorf("%s lists account %s's instance %s", key, other, theirs)
				}
			}
		}
	}
}
