package notify

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

const acct = "111111111111"

// evilName is an asset name written by whoever can tag a resource: an
// escape sequence and markup, which must reach no reader as such.
const evilName = "sg-\x1b[31mred<script>alert(1)</script>"

// staticSource hands out a fixed inventory of security groups.
type staticSource struct{ assets []asset.Asset }

func (s *staticSource) Units() []asset.UnitKey {
	return []asset.UnitKey{{Account: acct, Region: "us-east-1", Type: asset.TypeSecurityGroup}}
}

func (s *staticSource) Run(_ context.Context, handle func(asset.Unit, []asset.Asset)) error {
	handle(asset.Unit{UnitKey: s.Units()[0], Status: asset.UnitComplete, Assets: len(s.assets)}, s.assets)
	return nil
}

// sg is a security group; open adds a rule letting the world reach every port.
func sg(id, name string, open bool, owner string) asset.Asset {
	var ingress []any
	if open {
		ingress = append(ingress, map[string]any{"protocol": "-1", "from_port": int64(0), "to_port": int64(65535),
			"cidr": "0.0.0.0/0", "ipv6": false, "source_group": "", "prefix_list": "", "description": ""})
	}
	return asset.Asset{
		ID: "arn:aws:ec2:us-east-1:" + acct + ":security-group/" + id, Type: asset.TypeSecurityGroup,
		Name: name, Account: acct, Region: "us-east-1", Source: "test",
		Tags: map[string]string{"Application": "a", "Environment": "prod", "Owner": owner},
		Attrs: map[string]any{"group_id": id, "group_name": name, "description": "", "vpc_id": "vpc-1",
			"is_default": false, "ingress": ingress, "egress": []any{}},
	}
}

// world is a store and cycle with a settable clock.
type world struct {
	c   *cycle.Cycle
	now time.Time
}

func (w *world) clock() time.Time { return w.now }

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	st, err := db.Open(t.TempDir(), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c, errs, err := cycle.New(st, &config.Config{}, cycle.Deps{Now: w.clock})
	if err != nil || len(errs) > 0 {
		t.Fatalf("new cycle: %v %v", err, errs)
	}
	w.c = c
	return w
}

// scan runs the cycle over the given assets.
func (w *world) scan(t *testing.T, assets ...asset.Asset) *cycle.Result {
	t.Helper()
	res, err := w.c.Run(context.Background(), &staticSource{assets: assets}, cycle.RunOptions{Source: "test", By: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// open lists the store's open violations, read independently of notify.
func (w *world) open(t *testing.T) []rules.Violation {
	t.Helper()
	vs, err := w.c.Store.Violations(db.ViolationFilter{Status: []string{rules.StatusOpen}})
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

func fmtInt(n int) string { return strconv.Itoa(n) }

// trendDays are the group "all"'s trend points.
func (w *world) trendDays(t *testing.T) []rules.TrendPoint {
	t.Helper()
	pts, err := w.c.Store.TrendPoints("all", rules.DefaultDomain, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return pts
}
