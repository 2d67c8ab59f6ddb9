package tui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// testNow is the fixed clock of every console test.
var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// fakeBackend is a small in-memory Backend over the demo inventory. Its
// checks are simple Go functions (not the real CEL pack), enough to drive
// the console's pages and dialogs.
type fakeBackend struct {
	mu         sync.Mutex
	readOnly   bool
	assets     map[string]*asset.Asset
	sums       []asset.Summary
	policies   []rules.Policy
	checks     map[string]func(*asset.Asset) bool // policy ID -> compliant
	violations map[string]*rules.Violation
	exceptions []rules.Exception
	groups     []groups.Group
	fixes      []fix.Record
	applied    []string // violation IDs fixed
	scans      []asset.Scan
	cycles     int
	slow       chan struct{}  // when set, Summaries waits on it (stale-result tests)
	planErr    error          // when set, PlanFix fails with it (the demo has no AWS)
	undone     []string       // fix record IDs undone
	planBefore map[string]any // when set, PlanFix's before-state (long states scroll)
}

func newFakeBackend(assets []asset.Asset) *fakeBackend {
	f := &fakeBackend{assets: map[string]*asset.Asset{}, violations: map[string]*rules.Violation{}}
	for i := range assets {
		a := &assets[i]
		f.assets[a.ID] = a
		f.sums = append(f.sums, a.Summary())
	}
	sort.Slice(f.sums, func(i, j int) bool { return f.sums[i].ID < f.sums[j].ID })
	f.policies = []rules.Policy{
		{ID: "s3-bucket-public-access-block", Name: "S3 bucket has no public access block", Resources: []string{asset.TypeS3Bucket},
			Severity: rules.SeverityCritical, Category: rules.CategorySecurity, Fix: "s3-block-public-access",
			Frameworks: []string{"cis-aws-3.0:2.1.4"}, Remediation: "Turn on S3 Block Public Access.", Description: "Buckets should block public access."},
		{ID: "ebs-volume-unencrypted", Name: "EBS volume is not encrypted", Resources: []string{asset.TypeVolume},
			Severity: rules.SeverityHigh, Category: rules.CategorySecurity, Fix: "ebs-snapshot-and-delete"},
		{ID: "ec2-imdsv1-allowed", Name: "EC2 instance allows IMDSv1", Resources: []string{asset.TypeEC2Instance},
			Severity: rules.SeverityMedium, Category: rules.CategorySecurity, Fix: "ec2-require-imdsv2"},
		{ID: "required-tags-missing", Name: "Resource lacks the Owner tag", Resources: []string{asset.TypeEC2Instance, asset.TypeS3Bucket, asset.TypeVolume},
			Severity: rules.SeverityLow, Category: rules.CategoryTagging},
	}
	f.checks = map[string]func(*asset.Asset) bool{
		"s3-bucket-public-access-block": func(a *asset.Asset) bool {
			v, _ := asset.Get(a.Attrs, "public_access_block.configured")
			return v == true
		},
		"ebs-volume-unencrypted": func(a *asset.Asset) bool { return a.Attrs["encrypted"] == true },
		"ec2-imdsv1-allowed": func(a *asset.Asset) bool {
			v, _ := asset.Get(a.Attrs, "imds.http_tokens")
			return v == "required"
		},
		"required-tags-missing": func(a *asset.Asset) bool { return a.Tags["Owner"] != "" },
	}
	f.groups = []groups.Group{
		{Name: groups.All, Builtin: true, Source: "builtin"},
		{Name: "prod", Match: map[string][]string{"tags.Environment": {"prod"}}, Source: "config"},
		{Name: "buckets", Types: []string{asset.TypeS3Bucket}, Source: "store"},
	}
	f.judge()
	f.scans = []asset.Scan{{ID: "scan-1", Started: testNow.Add(-3 * time.Hour), Finished: testNow.Add(-3*time.Hour + time.Minute),
		Status: asset.ScanComplete, Source: "demo", By: "test", Units: []asset.Unit{
			{UnitKey: asset.UnitKey{Account: "111111111111", Region: "us-east-1", Type: asset.TypeS3Bucket}, Status: asset.UnitComplete, Assets: 10},
			{UnitKey: asset.UnitKey{Account: "111111111111", Region: "us-east-1", Type: asset.TypeVolume}, Status: asset.UnitFailed, Error: "AccessDenied"},
		}}}
	return f
}

// judge opens violations for every failing (policy, asset) pair.
func (f *fakeBackend) judge() {
	for _, p := range f.policies {
		for _, s := range f.sums {
			a := f.assets[s.ID]
			if !applies(p, a.Type) || f.checks[p.ID](a) {
				continue
			}
			id := p.ID + "|" + a.ID
			if _, ok := f.violations[id]; ok {
				continue
			}
			f.violations[id] = &rules.Violation{ID: id, PolicyID: p.ID, AssetID: a.ID, AssetType: a.Type,
				AssetName: a.Name, Account: a.Account, Region: a.Region, Severity: p.Severity, Category: p.Category,
				Status: rules.StatusOpen, Message: a.Name + ": " + p.Name, OpenedAt: testNow.Add(-48 * time.Hour),
				History: []rules.Transition{{At: testNow.Add(-48 * time.Hour), To: rules.StatusOpen, By: "scan"}}}
		}
	}
}

func applies(p rules.Policy, typ string) bool {
	for _, r := range p.Resources {
		if r == typ {
			return true
		}
	}
	return false
}

func (f *fakeBackend) member(g groups.Group, s *asset.Summary) bool {
	if len(g.Types) > 0 {
		ok := false
		for _, t := range g.Types {
			ok = ok || t == s.Type
		}
		if !ok {
			return false
		}
	}
	for path, vals := range g.Match {
		var got string
		switch {
		case strings.HasPrefix(path, "tags."):
			got, _ = s.Tags.Get(strings.TrimPrefix(path, "tags."))
		case path == "account":
			got = s.Account
		case path == "region":
			got = s.Region
		}
		ok := false
		for _, v := range vals {
			ok = ok || v == got
		}
		if !ok {
			return false
		}
	}
	return true
}

func (f *fakeBackend) group(name string) (groups.Group, error) {
	for _, g := range f.groups {
		if g.Name == name {
			return g, nil
		}
	}
	return groups.Group{}, fmt.Errorf("group %s: %w", name, db.ErrNotFound)
}

func (f *fakeBackend) User() string   { return "tester" }
func (f *fakeBackend) ReadOnly() bool { return f.readOnly }

func (f *fakeBackend) Groups() ([]groups.Group, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]groups.Group(nil), f.groups...), nil
}

func (f *fakeBackend) GroupCount(g groups.Group) (int, error) {
	n := 0
	for i := range f.sums {
		if f.member(g, &f.sums[i]) {
			n++
		}
	}
	return n, nil
}

func (f *fakeBackend) SaveGroup(g groups.Group) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.groups {
		if f.groups[i].Name == g.Name {
			f.groups[i] = g
			return nil
		}
	}
	f.groups = append(f.groups, g)
	return nil
}

func (f *fakeBackend) DeleteGroup(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.groups {
		if f.groups[i].Name == name {
			f.groups = append(f.groups[:i], f.groups[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("group %s not found", name)
}

func (f *fakeBackend) Summaries(group string) ([]asset.Summary, error) {
	if f.slow != nil {
		<-f.slow
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	g, err := f.group(group)
	if err != nil {
		return nil, err
	}
	var out []asset.Summary
	for i := range f.sums {
		if f.member(g, &f.sums[i]) {
			out = append(out, f.sums[i])
		}
	}
	return out, nil
}

func (f *fakeBackend) Asset(id string) (*asset.Asset, error) {
	a, ok := f.assets[id]
	if !ok {
		return nil, fmt.Errorf("asset %s: %w", id, db.ErrNotFound)
	}
	return a, nil
}

func (f *fakeBackend) Related(id string) ([]asset.Summary, error) {
	a, err := f.Asset(id)
	if err != nil {
		return nil, err
	}
	var out []asset.Summary
	for _, k := range []string{"volume_ids", "security_group_ids"} {
		ids, _ := a.Attrs[k].([]any)
		for _, x := range ids {
			for _, s := range f.sums {
				if strings.HasSuffix(s.ID, "/"+asset.String(x)) {
					out = append(out, s)
				}
			}
		}
	}
	return out, nil
}

func (f *fakeBackend) Policies() []rules.Policy {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]rules.Policy(nil), f.policies...)
}

func (f *fakeBackend) SetPolicyDisabled(id string, disabled bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.policies {
		if f.policies[i].ID == id {
			f.policies[i].Disabled = disabled
		}
	}
	if disabled { // like the store: a disabled policy's violations close at once
		for _, v := range f.violations {
			if v.PolicyID == id && v.Status != rules.StatusClosed {
				t := testNow
				v.Status, v.ClosedAt, v.Reason = rules.StatusClosed, &t, "policy disabled"
			}
		}
	}
	return nil
}

func (f *fakeBackend) SetPolicyAutofix(id string, on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.policies {
		if f.policies[i].ID == id {
			f.policies[i].Autofix = on
		}
	}
	return nil
}

func (f *fakeBackend) Scores(group, domain string) (rules.Scores, error) {
	sums, err := f.Summaries(group)
	if err != nil {
		return rules.Scores{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	in := map[string]bool{}
	for _, s := range sums {
		in[s.ID] = true
	}
	sc := rules.Scores{Group: group, Domain: domain, Categories: map[string]int{}}
	weights := map[string]int{"critical": 10, "high": 5, "medium": 3, "low": 1}
	catW, catN := map[string]int{}, map[string]int{}
	for _, p := range f.policies {
		ps := rules.PolicyScore{PolicyID: p.ID, Name: p.Name, Severity: p.Severity, Category: p.Category}
		for _, s := range sums {
			if applies(p, s.Type) {
				ps.Evaluated++
			}
		}
		for _, v := range f.violations {
			if v.PolicyID == p.ID && in[v.AssetID] {
				switch v.Status {
				case rules.StatusOpen:
					ps.Open++
				case rules.StatusExempt:
					ps.Exempt++
				}
			}
		}
		ps.Compliance = 100
		if ps.Evaluated > 0 {
			ps.Compliance = (ps.Evaluated - ps.Open) * 100 / ps.Evaluated
		}
		sc.Policies = append(sc.Policies, ps)
		catW[p.Category] += weights[p.Severity]
		catN[p.Category] += weights[p.Severity] * ps.Compliance
	}
	total, n := 0, 0
	for c, w := range catW {
		sc.Categories[c] = catN[c] / w
		total += sc.Categories[c]
		n++
	}
	if n > 0 {
		sc.Overall = total / n
	}
	return sc, nil
}

func (f *fakeBackend) Trend(group, domain string, since time.Time) ([]rules.TrendPoint, error) {
	sc, err := f.Scores(group, domain)
	if err != nil {
		return nil, err
	}
	var out []rules.TrendPoint
	for d := 29; d >= 0; d-- {
		v := max(0, sc.Overall-d/3+(d%4))
		out = append(out, rules.TrendPoint{Group: group, Day: testNow.AddDate(0, 0, -d).Format("2006-01-02"),
			Overall: v, Policies: map[string]int{"s3-bucket-public-access-block": v}})
	}
	return out, nil
}

func (f *fakeBackend) Violations(group string, vf db.ViolationFilter) ([]rules.Violation, error) {
	sums, err := f.Summaries(group)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	in := map[string]bool{}
	for _, s := range sums {
		in[s.ID] = true
	}
	var out []rules.Violation
	for _, v := range f.violations {
		if !in[v.AssetID] || (vf.PolicyID != "" && v.PolicyID != vf.PolicyID) || (vf.AssetID != "" && v.AssetID != vf.AssetID) {
			continue
		}
		if len(vf.Status) > 0 {
			ok := false
			for _, s := range vf.Status {
				ok = ok || s == v.Status
			}
			if !ok {
				continue
			}
		}
		out = append(out, *v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (f *fakeBackend) Violation(id string) (*rules.Violation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.violations[id]
	if !ok {
		return nil, db.ErrNotFound
	}
	c := *v
	return &c, nil
}

func (f *fakeBackend) Exceptions() ([]rules.Exception, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]rules.Exception(nil), f.exceptions...), nil
}

func (f *fakeBackend) AddException(e rules.Exception) (rules.Exception, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e.ID = fmt.Sprintf("exc-%d", len(f.exceptions)+1)
	e.Author, e.Created = "tester", testNow
	f.exceptions = append(f.exceptions, e)
	if v, ok := f.violations[e.ViolationID]; ok {
		v.Status, v.ExceptionID, v.Reason = rules.StatusExempt, e.ID, e.Reason
	}
	return e, nil
}

func (f *fakeBackend) RevokeException(id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.exceptions {
		if f.exceptions[i].ID == id {
			t := testNow
			f.exceptions[i].RevokedAt = &t
		}
	}
	return nil
}

func (f *fakeBackend) Scans(limit int) ([]asset.Scan, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]asset.Scan(nil), f.scans...), nil
}

func (f *fakeBackend) LastScanAt() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.scans) == 0 {
		return time.Time{}
	}
	return f.scans[0].Finished
}

func (f *fakeBackend) RunCycle(ctx context.Context, fn func(cycle.Progress)) (*cycle.Result, error) {
	for i := 1; i <= 3; i++ {
		fn(cycle.Progress{ScanID: "scan-2", Phase: cycle.PhaseScan, Done: i, Total: 3, Assets: i * 10})
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cycles++
	sc := asset.Scan{ID: "scan-2", Started: testNow, Finished: testNow, Status: asset.ScanComplete, Source: "demo", By: "tester"}
	f.scans = append([]asset.Scan{sc}, f.scans...)
	return &cycle.Result{Scan: &sc, Opened: 1, Closed: 2}, nil
}

func (f *fakeBackend) FixRecords(limit int) ([]fix.Record, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fix.Record(nil), f.fixes...), nil
}

func (f *fakeBackend) PlanFix(ctx context.Context, violationID string) (*fix.Plan, error) {
	if f.planErr != nil {
		return nil, f.planErr
	}
	v, err := f.Violation(violationID)
	if err != nil {
		return nil, err
	}
	return &fix.Plan{Action: "fix-" + v.PolicyID, ViolationID: v.ID, PolicyID: v.PolicyID, AssetID: v.AssetID,
		AssetName: v.AssetName, Account: v.Account, Region: v.Region, Severity: v.Severity,
		Summary: "make " + v.AssetName + " compliant", Destructive: v.PolicyID == "ebs-volume-unencrypted",
		Undoable: v.PolicyID != "ebs-volume-unencrypted",
		Calls:    []fix.Call{{Service: "ec2", Op: "ModifyInstanceMetadataOptions", Params: map[string]any{"HttpTokens": "required"}}},
		Before:   f.before()}, nil
}

func (f *fakeBackend) before() map[string]any {
	if f.planBefore != nil {
		return f.planBefore
	}
	return map[string]any{"http_tokens": "optional"}
}

func (f *fakeBackend) ApplyFix(ctx context.Context, p *fix.Plan) (*fix.Record, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.applied = append(f.applied, p.ViolationID)
	if v, ok := f.violations[p.ViolationID]; ok {
		t := testNow
		v.Status, v.ClosedAt, v.Reason = rules.StatusClosed, &t, "fixed"
	}
	r := fix.Record{ID: fmt.Sprintf("fix-%d", len(f.fixes)+1), Action: p.Action, ViolationID: p.ViolationID,
		AssetID: p.AssetID, By: "tester", At: testNow, Status: fix.RecordApplied, Undoable: p.Undoable,
		Calls: p.Calls, Before: p.Before, After: map[string]any{"http_tokens": "required"}}
	f.fixes = append([]fix.Record{r}, f.fixes...)
	return &r, nil
}

func (f *fakeBackend) DeclineFix(ctx context.Context, p *fix.Plan, reason string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := fix.Record{ID: fmt.Sprintf("fix-%d", len(f.fixes)+1), Action: p.Action, ViolationID: p.ViolationID,
		AssetID: p.AssetID, By: "tester", At: testNow, Status: fix.RecordRefused, Error: reason}
	f.fixes = append([]fix.Record{r}, f.fixes...)
	return nil
}

func (f *fakeBackend) appliedFixes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.applied...)
}

// demoBackend is the fake over the fixed demo inventory at testNow.
func demoBackend() *fakeBackend { return newFakeBackend(demo.Inventory(testNow)) }
