package cycle

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// ErrReadOnly is returned by every action of a read-only session.
var ErrReadOnly = errors.New("read-only session: this action is not available")

// Backend is what one console session reads and does (tui.Backend): the
// store through the cycle, acting as one user. Sessions share the cycle.
type Backend struct {
	C        *Cycle
	Src      func() Source // the source a console-started scan uses (AWS or demo)
	Opts     RunOptions
	actor    asset.Actor
	readOnly bool

	// Summaries and live violations load under their own locks, so the
	// first frame reads both at once (see Scores).
	sumsMu  sync.Mutex
	sums    []asset.Summary // cached for generation sumsGen, sorted by ID
	sumsGen uint64          //
	sumsVer uint64          // the store's version before sums were read
	scope   Scope           // the actor's assets for sumsGen (nil: all)
	liveMu  sync.Mutex
	live    []rules.Violation // open and exempt violations without history, cached for liveGen
	liveGen uint64            //
	liveVer uint64            // the store's version before live was read
}

// NewBackend builds a console session's backend acting as actor: every
// write is checked against the actor's role and groups in the cycle, and
// every read is confined to the actor's groups.
func NewBackend(c *Cycle, src func() Source, actor asset.Actor, readOnly bool) *Backend {
	return &Backend{C: c, Src: src, actor: actor, readOnly: readOnly,
		Opts: RunOptions{Source: "aws", By: actor.Name, Actor: actor}}
}

// User is who this session acts as.
func (b *Backend) User() string { return b.actor.Name }

// Actor is who this session acts as, with role and groups.
func (b *Backend) Actor() asset.Actor { return b.actor }

// ReadOnly reports whether the session may change anything.
func (b *Backend) ReadOnly() bool { return b.readOnly }

func (b *Backend) invalidate() {
	b.sumsMu.Lock()
	b.sums = nil
	b.sumsMu.Unlock()
	b.liveMu.Lock()
	b.live = nil
	b.liveMu.Unlock()
}

// DropViolationCache forgets the cached live violations; the next call
// that needs them reads them from the store again (0.7-1.7 s for the
// 442,749 rows of the 1M benchmark store, measured). A console calls it once
// a burst of loads is over: no page needs the rows at rest (the dashboard
// keeps its numbers, search its own index), and at 1M they held 126 MiB of
// the resident set. The summaries stay cached: pages and the search index
// share them.
func (b *Backend) DropViolationCache() {
	b.liveMu.Lock()
	b.live = nil
	b.liveMu.Unlock()
}

// summaries returns every summary the actor may see, cached until the
// cycle's generation moves. An unconfined actor's are the cycle's shared
// slice (one copy for every session); a confined one's are its own subset.
// Callers must not modify the slice.
func (b *Backend) summaries() ([]asset.Summary, error) {
	b.sumsMu.Lock()
	defer b.sumsMu.Unlock()
	gen := b.C.Generation()
	if b.sums != nil && b.sumsGen == gen {
		return b.sums, nil
	}
	s, gen, ver, err := b.C.allSummaries()
	if err != nil {
		return nil, err
	}
	sc, err := b.C.scopeIn(b.actor, s)
	if err != nil {
		return nil, err
	}
	if sc != nil {
		s = confine(s, sc)
	}
	b.sums, b.sumsGen, b.sumsVer, b.scope = s, gen, ver, sc
	return s, nil
}

// liveViolations returns the open and exempt violations without their
// history (the store's live index), cached until the cycle's generation
// moves (the dashboard asks several times per frame).
func (b *Backend) liveViolations() ([]rules.Violation, error) {
	b.liveMu.Lock()
	defer b.liveMu.Unlock()
	gen := b.C.Generation()
	if b.live != nil && b.liveGen == gen {
		return b.live, nil
	}
	ver := b.C.Store.DataVersion()
	vs, err := b.C.Store.LiveViolations()
	if err != nil {
		return nil, fmt.Errorf("load violations: %w", err)
	}
	if vs == nil {
		vs = []rules.Violation{}
	}
	if b.actor.Scoped() {
		if vs, err = b.confineViolations(vs); err != nil {
			return nil, err
		}
	}
	b.live, b.liveGen, b.liveVer = vs, gen, ver
	return vs, nil
}

// onlyLive reports whether a filter selects among open and exempt
// violations only, so the cache can answer it.
func onlyLive(f db.ViolationFilter) bool {
	if f.AssetID != "" || len(f.Status) == 0 {
		return false
	}
	for _, st := range f.Status {
		if st != rules.StatusOpen && st != rules.StatusExempt {
			return false
		}
	}
	return true
}

func (b *Backend) groupDefs() ([]groupDef, []asset.Summary, error) {
	sums, err := b.summaries()
	if err != nil {
		return nil, nil, err
	}
	gs, err := b.C.groupsFor(sums)
	return gs, sums, err
}

// Groups lists built-in, config and stored groups.
func (b *Backend) Groups() ([]groups.Group, error) {
	gs, _, err := b.groupDefs()
	return b.visibleGroups(defsOf(gs)), err
}

func (b *Backend) doc(id string) map[string]any {
	a, err := b.C.Store.Asset(id)
	if err != nil {
		return nil
	}
	return a.Doc()
}

// GroupCount counts the members of a group definition.
func (b *Backend) GroupCount(g groups.Group) (int, error) {
	m, err := groups.Compile(g)
	if err != nil {
		return 0, err
	}
	sums, err := b.summaries()
	if err != nil {
		return 0, err
	}
	return len(members(groupDef{g, m}, sums, b.doc)), nil
}

// SaveGroup creates or replaces a stored group (audited).
func (b *Backend) SaveGroup(g groups.Group) error {
	if b.readOnly {
		return ErrReadOnly
	}
	if err := b.C.Authorize(b.actor, asset.ActGroupEdit, g.Name, ""); err != nil {
		return err
	}
	if err := groups.Validate(g); err != nil {
		return err
	}
	if err := b.C.Store.PutGroup(g); err != nil {
		return err
	}
	b.C.bump()
	return b.audit("group.save", g.Name, "")
}

// DeleteGroup removes a stored group (audited).
func (b *Backend) DeleteGroup(name string) error {
	if b.readOnly {
		return ErrReadOnly
	}
	if err := b.C.Authorize(b.actor, asset.ActGroupEdit, name, ""); err != nil {
		return err
	}
	if err := b.C.Store.DeleteGroup(name); err != nil {
		return err
	}
	b.C.bump()
	return b.audit("group.delete", name, "")
}

func (b *Backend) audit(action, target, detail string) error {
	return b.C.Store.AppendAudit(db.AuditEvent{At: b.C.now(), By: b.actor.Name, Action: action, Target: target, Detail: detail})
}

// Summaries returns the members of a group. The slice for "all" is the
// session's shared cache: callers must copy before reordering it.
func (b *Backend) Summaries(group string) ([]asset.Summary, error) {
	if group == groups.All {
		return b.summaries()
	}
	gs, sums, err := b.groupDefs()
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		if g.Name == group {
			mem := members(g, sums, b.doc)
			out := make([]asset.Summary, len(mem))
			for i, s := range mem {
				out[i] = *s
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("no group named %q", group)
}

// Asset reads one full asset.
func (b *Backend) Asset(id string) (*asset.Asset, error) {
	if err := b.visible(id); err != nil {
		return nil, err
	}
	return b.C.Store.Asset(id)
}

// Related returns the assets linked to an asset in either direction.
func (b *Backend) Related(id string) ([]asset.Summary, error) {
	a, err := b.Asset(id)
	if err != nil {
		return nil, err
	}
	sums, err := b.summaries()
	if err != nil {
		return nil, err
	}
	return relatedOf(a, sums, b.C.Store), nil
}

// Policies lists every loaded policy with the operator's overrides applied.
func (b *Backend) Policies() []rules.Policy {
	ps, _, err := b.C.Policies()
	if err != nil {
		b.C.logf("policies: %v", err)
	}
	out := make([]rules.Policy, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

// SetPolicyDisabled enables or disables a policy (audited) and re-judges.
func (b *Backend) SetPolicyDisabled(id string, disabled bool) error {
	return b.setPolicyState(id, func(st *rules.PolicyState) { st.Disabled = disabled }, "policy."+map[bool]string{true: "disable", false: "enable"}[disabled])
}

// SetPolicyAutofix toggles a policy's unattended fix (audited).
func (b *Backend) SetPolicyAutofix(id string, on bool) error {
	return b.setPolicyState(id, func(st *rules.PolicyState) { st.Autofix = &on }, "policy.autofix."+map[bool]string{true: "on", false: "off"}[on])
}

func (b *Backend) setPolicyState(id string, change func(*rules.PolicyState), action string) error {
	if b.readOnly {
		return ErrReadOnly
	}
	return SetPolicyState(context.Background(), b.C, id, b.actor, action, change)
}

// Scores computes compliance of a group in a domain. It reads the
// violations while the summaries load: on a fresh session these are the
// two reads the first frame waits for.
func (b *Backend) Scores(group, domain string) (rules.Scores, error) {
	var vs []rules.Violation
	var verr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		vs, verr = b.liveViolations()
	}()
	gs, sums, err := b.groupDefs()
	<-done
	if err != nil {
		return rules.Scores{}, err
	}
	if verr != nil {
		return rules.Scores{}, verr
	}
	ps, _, err := b.C.Policies()
	if err != nil {
		return rules.Scores{}, err
	}
	for _, g := range gs {
		if g.Name == group {
			return b.C.scoreGroup(ps, group, domain, members(g, sums, b.doc), vs, b.C.EvalErrors()), nil
		}
	}
	return rules.Scores{}, fmt.Errorf("no group named %q", group)
}

// Trend returns a group's daily points since a time, oldest first.
func (b *Backend) Trend(group, domain string, since time.Time) ([]rules.TrendPoint, error) {
	if domain == "" {
		domain = rules.DefaultDomain
	}
	if b.actor.Scoped() && !slices.Contains(b.actor.Groups, group) {
		return nil, nil // "all" of a confined user is not the whole inventory's trend
	}
	return b.C.Store.TrendPoints(group, domain, since)
}

// Violations lists the violations of a group's assets.
func (b *Backend) Violations(group string, f db.ViolationFilter) ([]rules.Violation, error) {
	var vs []rules.Violation
	if onlyLive(f) {
		live, err := b.liveViolations()
		if err != nil {
			return nil, err
		}
		vs = make([]rules.Violation, 0, len(live)) // a fresh slice: callers may reorder it
		for _, v := range live {
			if (f.PolicyID == "" || v.PolicyID == f.PolicyID) && contains(f.Status, v.Status) {
				vs = append(vs, v)
			}
		}
	} else {
		var err error
		if vs, err = b.C.Store.Violations(f); err != nil {
			return nil, err
		}
		if b.actor.Scoped() {
			if vs, err = b.confineViolations(vs); err != nil {
				return nil, err
			}
		}
	}
	if group == "" || group == groups.All {
		return vs, nil
	}
	mem, err := b.Summaries(group)
	if err != nil {
		return nil, err
	}
	in := make(map[string]bool, len(mem))
	for _, s := range mem {
		in[s.ID] = true
	}
	out := vs[:0]
	for _, v := range vs {
		if in[v.AssetID] {
			out = append(out, v)
		}
	}
	return out, nil
}

// Violation reads one violation with its history.
func (b *Backend) Violation(id string) (*rules.Violation, error) {
	v, err := b.C.Store.Violation(id)
	if err != nil {
		return nil, err
	}
	if err := b.visible(v.AssetID); err != nil {
		return nil, fmt.Errorf("violation %s: %w", id, db.ErrNotFound)
	}
	return v, nil
}

// Exceptions lists every exception in the actor's scope.
func (b *Backend) Exceptions() ([]rules.Exception, error) {
	es, err := b.C.Store.Exceptions()
	if err != nil || !b.actor.Scoped() {
		return es, err
	}
	return b.confineExceptions(es)
}

// AddException stores an exception and applies it at once.
func (b *Backend) AddException(e rules.Exception) (rules.Exception, error) {
	if b.readOnly {
		return rules.Exception{}, ErrReadOnly
	}
	out, err := AddException(context.Background(), b.C, e, b.actor)
	b.invalidate()
	return out, err
}

// RevokeException ends an exception; its violations re-open at once.
func (b *Backend) RevokeException(id string) error {
	if b.readOnly {
		return ErrReadOnly
	}
	return RevokeException(context.Background(), b.C, id, b.actor)
}

// Scans lists past scans, newest first.
func (b *Backend) Scans(limit int) ([]asset.Scan, error) { return b.C.Store.Scans(limit) }

// LastScanAt is when the last scan finished (zero when never).
func (b *Backend) LastScanAt() time.Time {
	sc, err := b.C.Store.LastScan()
	if err != nil {
		return time.Time{}
	}
	if sc.Finished.IsZero() {
		return sc.Started
	}
	return sc.Finished
}

// RunCycle runs a scan cycle, reporting progress through fn.
func (b *Backend) RunCycle(ctx context.Context, fn func(Progress)) (*Result, error) {
	if b.readOnly {
		return nil, ErrReadOnly
	}
	if b.Src == nil {
		return nil, errors.New("no scan source configured")
	}
	o := b.Opts
	o.By, o.Actor = b.actor.Name, b.actor
	res, err := b.C.Run(ctx, b.Src(), o, fn)
	b.invalidate()
	return res, err
}

// FixRecords lists fix audit records, newest first.
func (b *Backend) FixRecords(limit int) ([]fix.Record, error) {
	if !b.actor.Scoped() {
		return b.C.Store.FixRecords(limit)
	}
	recs, err := b.C.Store.FixRecords(0)
	if err != nil {
		return nil, err
	}
	return b.confineFixes(recs, limit)
}

// PlanFix computes the fix plan of a violation without changing anything.
func (b *Backend) PlanFix(ctx context.Context, violationID string) (*fix.Plan, error) {
	if b.readOnly {
		return nil, ErrReadOnly
	}
	return b.C.PlanFixAs(ctx, violationID, b.actor)
}

// ApplyFix applies a confirmed plan, verifies it and returns the audit record.
func (b *Backend) ApplyFix(ctx context.Context, p *fix.Plan) (*fix.Record, error) {
	if b.readOnly {
		return nil, ErrReadOnly
	}
	rec, err := b.C.ApplyFix(ctx, p, b.actor)
	b.invalidate()
	return rec, err
}

// DeclineFix audits a plan the operator declined; nothing is changed.
func (b *Backend) DeclineFix(_ context.Context, p *fix.Plan, reason string) error {
	if b.readOnly {
		return ErrReadOnly
	}
	_, err := b.C.DeclineFix(p, b.actor, reason)
	return err
}

// ExceptionImpact counts the open violations (of this session's groups)
// that exception e would exempt if it were added now: the preview shown
// before an exception is confirmed.
func (b *Backend) ExceptionImpact(e rules.Exception) (Impact, error) {
	vs, err := b.liveViolations()
	if err != nil {
		return Impact{}, err
	}
	return ExceptionImpact(e, vs, b.doc, b.C.now()), nil
}

// CheckUndo says whether a fix record can be undone now (the same rules as
// `vigil fix undo`), returning the record to show before confirming.
func (b *Backend) CheckUndo(recordID string) (*fix.Record, error) {
	if b.readOnly {
		return nil, ErrReadOnly
	}
	return b.C.CheckUndo(recordID)
}

// UndoFix reverses an applied fix as this session's actor.
func (b *Backend) UndoFix(ctx context.Context, recordID string) (*fix.Record, error) {
	if b.readOnly {
		return nil, ErrReadOnly
	}
	rec, err := b.C.UndoFix(ctx, recordID, b.actor)
	b.invalidate()
	return rec, err
}

// DeclineUndo audits an undo the operator declined; nothing is changed.
func (b *Backend) DeclineUndo(_ context.Context, recordID, reason string) error {
	if b.readOnly {
		return ErrReadOnly
	}
	_, err := b.C.DeclineUndo(recordID, b.actor, reason)
	return err
}
