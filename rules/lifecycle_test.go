package rules

import (
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/groups"
)

// world is a small lifecycle fixture: two instances and one policy.
type world struct {
	assets   map[string]*asset.Asset
	policies map[string]*Policy
	stored   map[string]Violation
	now      time.Time
}

func newWorld() *world {
	w := &world{assets: map[string]*asset.Asset{}, stored: map[string]Violation{}, now: testNow,
		policies: map[string]*Policy{"imds": pol("imds", asset.TypeEC2Instance, "true")}}
	for _, id := range []string{"i-1", "i-2"} {
		a := ec2(id, nil)
		w.assets[a.ID] = a
	}
	w.assets[arn("instance", "i-2")].Tags["Environment"] = "dev"
	return w
}

// cycle runs Reconcile with results on the named assets (true = pass),
// stores what changed and returns it.
func (w *world) cycle(t *testing.T, in ReconcileInput, results map[string]bool) []Violation {
	t.Helper()
	w.now = w.now.Add(time.Hour)
	for id, pass := range results {
		in.Results = append(in.Results, Result{PolicyID: "imds", AssetID: arn("instance", id), Pass: pass, Message: id + " allows IMDSv1"})
	}
	for _, v := range w.stored {
		in.Current = append(in.Current, v)
	}
	in.Policies, in.Now, in.By = w.policies, w.now, "scan"
	in.Asset = func(id string) *asset.Asset { return w.assets[id] }
	changed := Reconcile(in)
	for _, v := range changed {
		w.stored[v.ID] = v
	}
	return changed
}

func (w *world) get(t *testing.T, inst string) Violation {
	t.Helper()
	v, ok := w.stored[ViolationID("imds", arn("instance", inst))]
	if !ok {
		t.Fatalf("no violation for %s", inst)
	}
	return v
}

func wantStatus(t *testing.T, v Violation, status, reason string) {
	t.Helper()
	if v.Status != status || v.Reason != reason {
		t.Errorf("%s: status %q reason %q, want %q %q", v.AssetID, v.Status, v.Reason, status, reason)
	}
}

func TestViolationIDIsStable(t *testing.T) {
	a, b := ViolationID("p", "arn:x"), ViolationID("p", "arn:x")
	if a != b || len(a) != 32 {
		t.Errorf("ViolationID = %q, %q", a, b)
	}
	if ViolationID("p", "arn:x") == ViolationID("p-", "arn:x") || ViolationID("ab", "c") == ViolationID("a", "bc") {
		t.Error("different pairs must give different IDs")
	}
}

func TestFailOpensPassCloses(t *testing.T) {
	w := newWorld()
	changed := w.cycle(t, ReconcileInput{}, map[string]bool{"i-1": false, "i-2": true})
	if len(changed) != 1 {
		t.Fatalf("changed = %d, want only the new violation", len(changed))
	}
	v := w.get(t, "i-1")
	wantStatus(t, v, StatusOpen, "")
	if v.Severity != SeverityHigh || v.AssetType != asset.TypeEC2Instance || v.Account != acct || v.Message != "i-1 allows IMDSv1" ||
		!v.OpenedAt.Equal(w.now) || v.ClosedAt != nil || len(v.History) != 1 || v.History[0].From != "" || v.History[0].By != "scan" {
		t.Errorf("new violation = %+v", v)
	}
	if changed := w.cycle(t, ReconcileInput{}, map[string]bool{"i-1": false}); len(changed) != 0 {
		t.Errorf("failing again changed %d violations, want none", len(changed))
	}
	w.cycle(t, ReconcileInput{}, map[string]bool{"i-1": true})
	v = w.get(t, "i-1")
	wantStatus(t, v, StatusClosed, ReasonCompliant)
	if v.ClosedAt == nil || !v.ClosedAt.Equal(w.now) || len(v.History) != 2 || v.History[1].From != StatusOpen {
		t.Errorf("closed violation = %+v", v)
	}
	// Re-opens under the same ID, keeping its history.
	w.cycle(t, ReconcileInput{}, map[string]bool{"i-1": false})
	v = w.get(t, "i-1")
	wantStatus(t, v, StatusOpen, "")
	if v.ID != ViolationID("imds", arn("instance", "i-1")) || v.ClosedAt != nil || len(v.History) != 3 ||
		v.History[2].From != StatusClosed || !v.OpenedAt.Equal(w.now) {
		t.Errorf("re-opened violation = %+v", v)
	}
}

func TestPartialUnitNeverCloses(t *testing.T) {
	w := newWorld()
	w.cycle(t, ReconcileInput{}, map[string]bool{"i-1": false, "i-2": false})
	// i-2's unit failed: its pass and its deletion are both ignored.
	i2 := arn("instance", "i-2")
	changed := w.cycle(t, ReconcileInput{
		Completed: map[string]bool{arn("instance", "i-1"): true},
		Deleted:   map[string]bool{},
	}, map[string]bool{"i-1": true, "i-2": true})
	if len(changed) != 1 || changed[0].AssetID != arn("instance", "i-1") {
		t.Fatalf("changed = %+v, want only i-1", changed)
	}
	wantStatus(t, w.get(t, "i-2"), StatusOpen, "")
	_ = i2
}

func TestDeletedResourceCloses(t *testing.T) {
	w := newWorld()
	w.cycle(t, ReconcileInput{}, map[string]bool{"i-1": false, "i-2": false})
	w.cycle(t, ReconcileInput{Completed: map[string]bool{}, Deleted: map[string]bool{arn("instance", "i-1"): true}}, nil)
	wantStatus(t, w.get(t, "i-1"), StatusClosed, ReasonResourceDeleted)
	wantStatus(t, w.get(t, "i-2"), StatusOpen, "")
}

func TestDisabledPolicyCloses(t *testing.T) {
	w := newWorld()
	w.cycle(t, ReconcileInput{}, map[string]bool{"i-1": false})
	// A result from a stale evaluation must not re-open it either.
	w.cycle(t, ReconcileInput{Disabled: map[string]bool{"imds": true}}, map[string]bool{"i-1": false})
	v := w.get(t, "i-1")
	wantStatus(t, v, StatusClosed, ReasonPolicyDisabled)
	if last := v.History[len(v.History)-1]; last.To != StatusClosed || last.Reason != ReasonPolicyDisabled {
		t.Errorf("history = %+v", v.History)
	}
}

func TestEvaluationErrorChangesNothing(t *testing.T) {
	w := newWorld()
	w.cycle(t, ReconcileInput{}, map[string]bool{"i-1": false})
	in := ReconcileInput{Results: []Result{{PolicyID: "imds", AssetID: arn("instance", "i-1"), Err: errTest}}}
	if changed := w.cycle(t, in, nil); len(changed) != 0 {
		t.Errorf("an evaluation error changed %+v", changed)
	}
}

type testErr string

func (e testErr) Error() string { return string(e) }

const errTest = testErr("no such key")

func TestIndividualExceptionAndExpiry(t *testing.T) {
	w := newWorld()
	w.cycle(t, ReconcileInput{}, map[string]bool{"i-1": false})
	vid := ViolationID("imds", arn("instance", "i-1"))
	ex := Exception{ID: "ex-1", Kind: ExceptionIndividual, ViolationID: vid, Reason: "legacy app", Author: "ana",
		Created: w.now, Expires: w.now.Add(150 * time.Minute)}
	// Exempt without the asset being evaluated again (unchanged asset).
	w.cycle(t, ReconcileInput{Exceptions: []Exception{ex}}, nil)
	v := w.get(t, "i-1")
	if v.Status != StatusExempt || v.ExceptionID != "ex-1" || v.Reason != "exception ex-1: legacy app" {
		t.Errorf("violation = %+v, want exempt under ex-1", v)
	}
	w.cycle(t, ReconcileInput{Exceptions: []Exception{ex}}, map[string]bool{"i-1": false})
	if v := w.get(t, "i-1"); v.Status != StatusExempt || len(v.History) != 2 {
		t.Errorf("still failing under a live exception: %+v", v)
	}
	// The next evaluation after expiry re-opens it.
	w.cycle(t, ReconcileInput{Exceptions: []Exception{ex}}, map[string]bool{"i-1": false})
	v = w.get(t, "i-1")
	wantStatus(t, v, StatusOpen, "")
	if v.ExceptionID != "" || v.History[len(v.History)-1].Reason != "exception ex-1 no longer applies" {
		t.Errorf("re-opened = %+v", v)
	}
}

func TestRevokedExceptionReopens(t *testing.T) {
	w := newWorld()
	vid := ViolationID("imds", arn("instance", "i-1"))
	ex := Exception{ID: "ex-1", Kind: ExceptionIndividual, ViolationID: vid, Reason: "r", Author: "a", Expires: w.now.Add(100 * time.Hour)}
	w.cycle(t, ReconcileInput{Exceptions: []Exception{ex}}, map[string]bool{"i-1": false})
	if v := w.get(t, "i-1"); v.Status != StatusExempt || len(v.History) != 1 || v.History[0].From != "" {
		t.Fatalf("a new violation under an exception = %+v, want exempt from the start", v)
	}
	at := w.now
	ex.RevokedAt, ex.RevokedBy = &at, "bo"
	w.cycle(t, ReconcileInput{Exceptions: []Exception{ex}}, nil)
	wantStatus(t, w.get(t, "i-1"), StatusOpen, "")
}

func TestStickyExceptionCoversLaterResources(t *testing.T) {
	w := newWorld()
	ex := Exception{ID: "ex-dev", Kind: ExceptionSticky, PolicyIDs: []string{"imds"}, Reason: "dev fleet", Author: "ana",
		Expires:  w.now.Add(48 * time.Hour),
		Criteria: &groups.Group{Types: []string{asset.TypeEC2Instance}, Match: map[string][]string{"tags.Environment": {"dev"}}}}
	w.cycle(t, ReconcileInput{Exceptions: []Exception{ex}}, map[string]bool{"i-1": false, "i-2": false})
	wantStatus(t, w.get(t, "i-1"), StatusOpen, "")
	if v := w.get(t, "i-2"); v.Status != StatusExempt || v.ExceptionID != "ex-dev" {
		t.Errorf("dev instance = %+v, want exempt", v)
	}
	// A resource created after the exception is covered too.
	i3 := ec2("i-3", nil)
	i3.Tags["Environment"] = "dev"
	w.assets[i3.ID] = i3
	w.cycle(t, ReconcileInput{Exceptions: []Exception{ex}}, map[string]bool{"i-3": false})
	if v := w.get(t, "i-3"); v.Status != StatusExempt {
		t.Errorf("new dev instance = %+v, want exempt", v)
	}
	// Another policy is not covered.
	other := Exception{ID: "ex-x", Kind: ExceptionSticky, PolicyIDs: []string{"other"}, Reason: "r", Author: "a",
		Expires: w.now.Add(48 * time.Hour)}
	w.cycle(t, ReconcileInput{Exceptions: []Exception{other}}, nil)
	wantStatus(t, w.get(t, "i-3"), StatusOpen, "")
}

func TestExemptViolationClosesWhenCompliant(t *testing.T) {
	w := newWorld()
	vid := ViolationID("imds", arn("instance", "i-1"))
	ex := Exception{ID: "ex-1", Kind: ExceptionIndividual, ViolationID: vid, Reason: "r", Author: "a", Expires: w.now.Add(100 * time.Hour)}
	w.cycle(t, ReconcileInput{Exceptions: []Exception{ex}}, map[string]bool{"i-1": false})
	w.cycle(t, ReconcileInput{Exceptions: []Exception{ex}}, map[string]bool{"i-1": true})
	v := w.get(t, "i-1")
	wantStatus(t, v, StatusClosed, ReasonCompliant)
	if v.ExceptionID != "" {
		t.Errorf("closed violation keeps exception %q", v.ExceptionID)
	}
}

func TestCloseForVerifiedFix(t *testing.T) {
	w := newWorld()
	w.cycle(t, ReconcileInput{}, map[string]bool{"i-1": false})
	v := w.get(t, "i-1")
	hist := v.History
	closed := Close(v, "fixed by vigil fix-42", "ana", w.now)
	wantStatus(t, closed, StatusClosed, "fixed by vigil fix-42")
	last := closed.History[len(closed.History)-1]
	if last.By != "ana" || last.From != StatusOpen || last.To != StatusClosed || len(hist) != 1 {
		t.Errorf("history = %+v (input history length %d)", closed.History, len(hist))
	}
	if again := Close(closed, "x", "bo", w.now); len(again.History) != len(closed.History) || again.Reason != closed.Reason {
		t.Errorf("closing a closed violation changed it: %+v", again)
	}
}

func TestCovers(t *testing.T) {
	now := testNow
	v := &Violation{ID: "v1", PolicyID: "p", AssetID: "a", AssetType: asset.TypeS3Bucket, Account: acct, Region: "eu-west-1"}
	doc := map[string]any{"type": asset.TypeS3Bucket, "account": acct, "region": "eu-west-1", "tags": map[string]any{"Team": "data"}}
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	cases := []struct {
		name string
		e    Exception
		doc  map[string]any
		want bool
	}{
		{"individual", Exception{Kind: ExceptionIndividual, ViolationID: "v1", Expires: future}, doc, true},
		{"individual other", Exception{Kind: ExceptionIndividual, ViolationID: "v2", Expires: future}, doc, false},
		{"expired", Exception{Kind: ExceptionIndividual, ViolationID: "v1", Expires: past}, doc, false},
		{"revoked", Exception{Kind: ExceptionIndividual, ViolationID: "v1", Expires: future, RevokedAt: &past}, doc, false},
		{"sticky by tag", Exception{Kind: ExceptionSticky, Expires: future,
			Criteria: &groups.Group{Match: map[string][]string{"tags.Team": {"data"}}}}, doc, true},
		{"sticky wrong tag", Exception{Kind: ExceptionSticky, Expires: future,
			Criteria: &groups.Group{Match: map[string][]string{"tags.Team": {"web"}}}}, doc, false},
		{"sticky other policy", Exception{Kind: ExceptionSticky, Expires: future, PolicyIDs: []string{"q"}}, doc, false},
		{"sticky without doc uses violation fields", Exception{Kind: ExceptionSticky, Expires: future,
			Criteria: &groups.Group{Match: map[string][]string{"region": {"eu-west-1"}}}}, nil, true},
	}
	for _, c := range cases {
		if got := Covers(&c.e, v, c.doc, now); got != c.want {
			t.Errorf("%s: Covers = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestValidateException(t *testing.T) {
	future := testNow.Add(time.Hour)
	ok := Exception{Kind: ExceptionIndividual, ViolationID: "v", Reason: "r", Author: "a", Expires: future}
	if err := ValidateException(&ok, testNow); err != nil {
		t.Errorf("valid exception: %v", err)
	}
	bad := []Exception{
		{Kind: "forever", ViolationID: "v", Reason: "r", Author: "a", Expires: future},
		{Kind: ExceptionIndividual, Reason: "r", Author: "a", Expires: future},
		{Kind: ExceptionSticky, Reason: "r", Author: "a", Expires: future},
		{Kind: ExceptionIndividual, ViolationID: "v", Author: "a", Expires: future},
		{Kind: ExceptionIndividual, ViolationID: "v", Reason: "r", Expires: future},
		{Kind: ExceptionIndividual, ViolationID: "v", Reason: "r", Author: "a"},
		{Kind: ExceptionIndividual, ViolationID: "v", Reason: "r", Author: "a", Expires: testNow.Add(-time.Hour)},
		{Kind: ExceptionSticky, Reason: "r", Author: "a", Expires: future, Criteria: &groups.Group{Expr: "1 +"}},
	}
	for i, e := range bad {
		if err := ValidateException(&e, testNow); err == nil {
			t.Errorf("case %d: ValidateException(%+v) = nil, want an error", i, e)
		}
	}
}
