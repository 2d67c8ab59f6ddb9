package fix

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/internal/testmoto"
	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/scanner"
)

// motoAccount is the account moto answers as.
const motoAccount = "123456789012"

// env is one moto_server with SDK config pointing at it.
type env struct {
	srv *testmoto.Server
	cfg aws.Config
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := testmoto.Start(t)
	srv.Setenv(t)
	cfg, err := awsconfig.LoadDefaultConfig(context.Background(), awsconfig.WithRegion("us-east-1"))
	if err != nil {
		t.Fatalf("aws config: %v", err)
	}
	return &env{srv: srv, cfg: cfg}
}

func (e *env) aws(t *testing.T, args ...string) string { t.Helper(); return e.srv.AWS(t, args...) }

// collect reads one asset through the scanner's collector, as a scan would.
func (e *env) collect(t *testing.T, c scanner.Collector, region, id string) *asset.Asset {
	t.Helper()
	cfg := e.cfg.Copy()
	cfg.Region = region
	unit := region
	if c.Global() {
		unit, cfg.Region = asset.Global, "us-east-1"
	}
	s := &scanner.Session{Config: cfg, Account: motoAccount, Region: unit, Regions: []string{region}, Endpoint: e.srv.URL}
	list, err := c.Collect(context.Background(), s)
	if err != nil {
		t.Fatalf("collect %s: %v", c.Type(), err)
	}
	for i := range list {
		if list[i].ID == id {
			return &list[i]
		}
	}
	var ids []string
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	t.Fatalf("collect %s: no %s among %v", c.Type(), id, ids)
	return nil
}

// target builds the fix target of an asset.
func (e *env) target(a *asset.Asset, params map[string]any) Target {
	cfg := e.cfg.Copy()
	cfg.Region = a.Region
	if a.Region == asset.Global || a.Region == "" {
		cfg.Region = "us-east-1"
	}
	return Target{Asset: a, Config: cfg, Endpoint: e.srv.URL, Params: params}
}

// passes evaluates one built-in policy on an asset (others are context for account()).
func passes(t *testing.T, policyID string, params map[string]any, a *asset.Asset, others ...*asset.Asset) bool {
	t.Helper()
	ps, errs := rules.LoadDir(rules.BuiltinFS(), ".")
	if len(errs) > 0 {
		t.Fatalf("load built-in policies: %v", errs)
	}
	var cfg rules.Config
	if params != nil {
		cfg.Params = map[string]map[string]any{policyID: params}
	}
	eng, errs := rules.NewEngine(ps, cfg)
	if len(errs) > 0 {
		t.Fatalf("engine: %v", errs)
	}
	for _, r := range eng.Evaluate(a, rules.NewIndex(append([]*asset.Asset{a}, others...))) {
		if r.PolicyID == policyID {
			if r.Err != nil {
				t.Fatalf("evaluate %s on %s: %v", policyID, a.ID, r.Err)
			}
			return r.Pass
		}
	}
	t.Fatalf("policy %s did not judge %s (%s)", policyID, a.ID, a.Type)
	return false
}

// mustPlan plans and checks the plan is an actionable one.
func mustPlan(t *testing.T, act Action, tg Target) *Plan {
	t.Helper()
	p, err := act.Plan(context.Background(), tg)
	if err != nil {
		t.Fatalf("plan %s: %v", act.ID(), err)
	}
	if p.Noop || len(p.Calls) == 0 || p.Summary == "" || p.Before == nil {
		t.Fatalf("plan %s = %+v, want calls, a summary and a before-state", act.ID(), p)
	}
	return p
}

// mustApply applies a plan and returns the after-state.
func mustApply(t *testing.T, act Action, tg Target, p *Plan) map[string]any {
	t.Helper()
	after, err := act.Apply(context.Background(), tg, p)
	if err != nil {
		t.Fatalf("apply %s: %v", act.ID(), err)
	}
	return after
}

// wantDrift applies a stale plan and checks it is refused with ErrDrift.
func wantDrift(t *testing.T, act Action, tg Target, p *Plan, mentions string) {
	t.Helper()
	_, err := act.Apply(context.Background(), tg, p)
	if !errors.Is(err, ErrDrift) {
		t.Fatalf("apply after drift: err = %v, want ErrDrift", err)
	}
	if !strings.Contains(err.Error(), mentions) {
		t.Errorf("drift error %q does not say what changed (%q)", err, mentions)
	}
}

// record is the audit record cycle.ApplyFix would keep, as it comes back
// from the store (JSON round trip).
func record(p *Plan, after map[string]any) *Record {
	return &Record{ID: "fix-test", Action: p.Action, AssetID: p.AssetID, Account: p.Account, Region: p.Region,
		Status: RecordApplied, Calls: p.Calls, Before: normalize(p.Before), After: normalize(after), Undoable: p.Undoable}
}

func mustUndo(t *testing.T, act Action, tg Target, r *Record) {
	t.Helper()
	if err := act.Undo(context.Background(), tg, r); err != nil {
		t.Fatalf("undo %s: %v", act.ID(), err)
	}
}

// same fails when two reads of the live state differ.
func same(t *testing.T, what string, want, got any) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Errorf("%s changed:\nwant %v\n got %v", what, want, got)
	}
}
