package cycle

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/db"
)

const acct = "111111111111"

// staticSource hands out a fixed inventory per unit; units listed in fail
// are reported failed with no assets.
type staticSource struct {
	units  []asset.UnitKey
	assets []asset.Asset
	fail   map[asset.UnitKey]bool
}

func (s *staticSource) Units() []asset.UnitKey { return s.units }

func (s *staticSource) Run(_ context.Context, handle func(asset.Unit, []asset.Asset)) error {
	for _, u := range s.units {
		if s.fail[u] {
			handle(asset.Unit{UnitKey: u, Status: asset.UnitFailed, Error: "boom"}, nil)
			continue
		}
		var mine []asset.Asset
		for _, a := range s.assets {
			if unitOf(&a) == u {
				mine = append(mine, a)
			}
		}
		handle(asset.Unit{UnitKey: u, Status: asset.UnitComplete, Assets: len(mine)}, mine)
	}
	return nil
}

// sg builds a security group asset; open adds a world-open SSH rule.
func sg(region, id string, open bool, tags map[string]string) asset.Asset {
	var ingress []any
	if open {
		ingress = append(ingress, map[string]any{"protocol": "tcp", "from_port": int64(22), "to_port": int64(22),
			"cidr": "0.0.0.0/0", "ipv6": false, "source_group": "", "prefix_list": "", "description": ""})
	}
	if tags == nil {
		tags = map[string]string{"Application": "a", "Environment": "prod", "Owner": "o@example.com"}
	}
	return asset.Asset{
		ID: "arn:aws:ec2:" + region + ":" + acct + ":security-group/" + id, Type: asset.TypeSecurityGroup,
		Name: id, Account: acct, Region: region, Tags: tags, Source: "test",
		Attrs: map[string]any{"group_id": id, "group_name": id, "description": "", "vpc_id": "vpc-1",
			"is_default": false, "ingress": ingress, "egress": []any{}},
	}
}

func sgUnit(region string) asset.UnitKey {
	return asset.UnitKey{Account: acct, Region: region, Type: asset.TypeSecurityGroup}
}

// newTestCycle opens a store and a cycle with a settable clock.
func newTestCycle(t *testing.T, now *time.Time) *Cycle {
	t.Helper()
	st, err := db.Open(t.TempDir(), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c, errs, err := New(st, &config.Config{}, Deps{Now: func() time.Time { return *now }})
	if err != nil || len(errs) > 0 {
		t.Fatalf("new cycle: %v %v", err, errs)
	}
	return c
}

func mustRun(t *testing.T, c *Cycle, src Source) *Result {
	t.Helper()
	res, err := c.Run(context.Background(), src, RunOptions{Source: "test", By: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func violation(t *testing.T, c *Cycle, policy, assetID string) (status, reason string) {
	t.Helper()
	vs, err := c.Store.Violations(db.ViolationFilter{PolicyID: policy, AssetID: assetID})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		return "", ""
	}
	return vs[0].Status, vs[0].Reason
}

func dbFilter(policy, assetID string) db.ViolationFilter {
	return db.ViolationFilter{PolicyID: policy, AssetID: assetID}
}
