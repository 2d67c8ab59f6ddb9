package rules

import (
	"fmt"
	"hash/fnv"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/internal/celguard"
)

// Result is the judgement of one policy on one asset. Err is set when the
// check could not be evaluated (a missing key, a type mismatch, the cost
// limit): such a result is neither a pass nor a failure, and the lifecycle
// leaves the violation as it was.
type Result struct {
	PolicyID string
	AssetID  string
	Pass     bool
	Message  string
	Err      error
}

// Resolver finds data outside an asset's own document for related() and
// account(). The cycle implements it over its in-memory index; NewIndex
// builds one from a slice of assets.
type Resolver interface {
	// Related returns the documents of assets of type typ linked to a.
	Related(a *asset.Asset, typ string) []map[string]any
	// Account returns the aws.account document of an account, or nil.
	Account(account string) map[string]any
}

// Config tunes an engine for one installation.
type Config struct {
	Params   map[string]map[string]any // policy ID -> params overriding the policy's defaults
	Disabled map[string]bool           // policy IDs switched off by the operator
	Groups   []groups.Group            // definitions that policy `group:` scopes name
	Now      func() time.Time          // clock for `now`; time.Now when nil
	// CostLimit bounds one check evaluation (CEL cost units); 0 means
	// DefaultCostLimit. A check over the limit gives an evaluation error.
	CostLimit uint64
}

// Engine evaluates a set of compiled policies. It is safe for concurrent use.
type Engine struct {
	byType   map[string][]*compiled
	byID     map[string]*compiled
	order    []*compiled
	fp       map[string]uint64
	volatile map[string]bool // type -> has an enabled volatile policy
	enabled  map[string]int  // type -> enabled policies, an upper bound of its results
	now      func() time.Time
}

// NewEngine compiles every policy once. A policy that fails to compile, or
// names an unknown group, is left out and reported; the others still run.
func NewEngine(policies []*Policy, cfg Config) (*Engine, []error) {
	env, err := newEnv()
	if err != nil {
		return nil, []error{err}
	}
	e := &Engine{byType: map[string][]*compiled{}, byID: map[string]*compiled{}, fp: map[string]uint64{}, volatile: map[string]bool{}, enabled: map[string]int{}, now: cfg.Now}
	if e.now == nil {
		e.now = time.Now
	}
	grp := map[string]groups.Group{}
	for _, g := range cfg.Groups {
		grp[g.Name] = g
	}
	limit := cfg.CostLimit
	if limit == 0 {
		limit = DefaultCostLimit
	}
	var errs []error
	for _, p := range policies {
		c, err := compileProgram(env, p, limit)
		if err != nil {
			errs = append(errs, fmt.Errorf("policy %s (%s): %w", p.ID, p.File, err))
			continue
		}
		c.disabled = p.Disabled || cfg.Disabled[p.ID]
		c.params = mergeParams(p.Params, cfg.Params[p.ID])
		c.paramsVal = freeze(c.params)
		if p.Group != "" && p.Group != groups.All {
			g, ok := grp[p.Group]
			if !ok {
				errs = append(errs, fmt.Errorf("policy %s: unknown group %q", p.ID, p.Group))
				continue
			}
			m, err := groups.Compile(g)
			if err != nil {
				errs = append(errs, fmt.Errorf("policy %s: %w", p.ID, err))
				continue
			}
			c.scope = m
		}
		e.byID[p.ID] = c
		e.order = append(e.order, c)
		for _, t := range p.Resources {
			e.byType[t] = append(e.byType[t], c)
		}
	}
	for t, cs := range e.byType {
		e.fp[t] = fingerprint(cs)
		for _, c := range cs {
			e.volatile[t] = e.volatile[t] || (c.volatile && !c.disabled)
			if !c.disabled {
				e.enabled[t]++
			}
		}
	}
	return e, errs
}

func mergeParams(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = normalise(v)
	}
	return out
}

// fingerprint hashes what decides the results for a type: each applying
// policy's ID, check, params, scope and enabled state.
func fingerprint(cs []*compiled) uint64 {
	h := fnv.New64a()
	// The scheme's version: marks written before evaluation errors were
	// results (when an errored asset was marked as judged) never match.
	h.Write([]byte("v2 errors are results\x00"))
	for _, c := range cs {
		p := c.policy
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%t\x00%d\x00", p.ID, p.Check, p.Message, p.Group, c.disabled, asset.HashDoc(c.params, nil, ""))
	}
	return h.Sum64()
}

// Fingerprint returns a hash of the policies (checks, params, scope, state)
// that apply to a type. An asset whose document hash and type fingerprint
// are both unchanged since its last evaluation only needs its volatile
// policies evaluated again.
func (e *Engine) Fingerprint(typ string) uint64 { return e.fp[typ] }

// UsesVolatile reports whether a policy's check reads `now` (days_since
// included), related(...) or account(): data that changes without the
// asset's document changing.
func (e *Engine) UsesVolatile(policyID string) bool {
	c, ok := e.byID[policyID]
	return ok && c.volatile
}

// Inputs returns what a policy's check reads beyond its asset's document.
func (e *Engine) Inputs(policyID string) Inputs {
	if c, ok := e.byID[policyID]; ok {
		return c.inputs
	}
	return Inputs{}
}

// HasVolatile reports whether any enabled policy for a type is volatile: an
// unchanged asset of a type without one needs no evaluation at all.
func (e *Engine) HasVolatile(typ string) bool { return e.volatile[typ] }

// Policies returns the policies the engine evaluates, in load order.
func (e *Engine) Policies() []*Policy {
	out := make([]*Policy, 0, len(e.order))
	for _, c := range e.order {
		out = append(out, c.policy)
	}
	return out
}

// Applies returns the enabled policies that judge assets of a type.
func (e *Engine) Applies(typ string) []*Policy {
	var out []*Policy
	for _, c := range e.byType[typ] {
		if !c.disabled {
			out = append(out, c.policy)
		}
	}
	return out
}

// Evaluate judges one asset with every enabled policy for its type.
func (e *Engine) Evaluate(a *asset.Asset, rel Resolver) []Result {
	return e.evaluate(&scratch{}, a, rel, types.Timestamp{Time: e.now().UTC()}, nil, nil)
}

// evaluate appends the results of a's policies to out; a non-nil only
// limits it to those policies.
func (e *Engine) evaluate(s *scratch, a *asset.Asset, rel Resolver, now ref.Val, only map[*compiled]bool, out []Result) []Result {
	cs := e.byType[a.Type]
	if len(cs) == 0 {
		return out
	}
	var doc *docVal
	var act *activation
	var summary *asset.Summary
	for _, c := range cs {
		if c.disabled || (only != nil && !only[c]) {
			continue
		}
		if doc == nil {
			doc, act = s.prepare(a, rel, now)
		}
		if c.scope != nil {
			if summary == nil {
				s := summaryOf(a)
				summary = &s
			}
			m, need := c.scope.MatchSummary(summary)
			if need {
				m = c.scope.Match(doc.document())
			}
			if !m {
				continue
			}
		}
		act.params = c.paramsVal
		out = append(out, c.run(act, a, doc.document))
	}
	return out
}

// run evaluates one compiled policy against a prepared activation.
func (c *compiled) run(act *activation, a *asset.Asset, doc func() map[string]any) Result {
	assetID := a.ID
	r := Result{PolicyID: c.policy.ID, AssetID: assetID}
	v, err := celguard.Eval(c.prg, c.plan, act)
	if err != nil {
		r.Err = fmt.Errorf("policy %s on %s: %w", c.policy.ID, assetID, err)
		return r
	}
	b, ok := v.(types.Bool)
	if !ok {
		r.Err = fmt.Errorf("policy %s on %s: check gave %s, not a bool", c.policy.ID, assetID, v.Type().TypeName())
		return r
	}
	r.Pass = bool(b)
	if !r.Pass {
		r.Message = c.message(a, doc)
	}
	return r
}

// message renders the policy's message for a failing asset, falling back
// to the policy name when there is none or it fails.
func (c *compiled) message(a *asset.Asset, doc func() map[string]any) string {
	if c.msg == nil {
		return c.policy.Name
	}
	if m := c.msg.render(a, doc); m != "" {
		return m
	}
	return c.policy.Name
}

// EvaluateAll judges every asset on up to workers goroutines (all cores
// when workers <= 0). Results are grouped by asset in input order.
func (e *Engine) EvaluateAll(assets []*asset.Asset, rel Resolver, workers int) []Result {
	return e.EvaluateIncremental(assets, nil, rel, workers)
}

// EvaluateIncremental is EvaluateAll for a rescan: for an asset where
// unchanged returns true (its document hash and its type's Fingerprint are
// as last evaluated) only the volatile policies run. A nil unchanged
// evaluates everything.
func (e *Engine) EvaluateIncremental(assets []*asset.Asset, unchanged func(*asset.Asset) bool, rel Resolver, workers int) []Result {
	return e.EvaluateChanged(assets, Changes{Unchanged: unchanged}, rel, workers)
}

// Changes tells an incremental evaluation what changed since the last one.
type Changes struct {
	// Unchanged reports an asset whose document hash and type Fingerprint
	// are as last evaluated; nil means every asset changed.
	Unchanged func(*asset.Asset) bool
	// Types holds the asset types with any asset added, changed or removed
	// since the last evaluation. On an unchanged asset a policy runs again
	// when it reads `now`, calls account() and aws.account is in Types, or
	// calls related(T) with T in Types. Nil means unknown: every volatile
	// policy runs again.
	Types map[string]bool
}

// EvaluateChanged evaluates assets on up to workers goroutines (all cores
// when workers <= 0), skipping the policies whose answer cannot have changed
// on an unchanged asset. Results are grouped by asset in input order.
func (e *Engine) EvaluateChanged(assets []*asset.Asset, ch Changes, rel Resolver, workers int) []Result {
	rerun := map[*compiled]bool{}
	rerunType := map[string]bool{}
	for t, cs := range e.byType {
		for _, c := range cs {
			if !c.disabled && c.inputs.rerun(ch.Types) {
				rerun[c] = true
				rerunType[t] = true
			}
		}
	}
	unchanged := ch.Unchanged
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	now := types.Timestamp{Time: e.now().UTC()}
	const chunk = 512
	nChunks := (len(assets) + chunk - 1) / chunk
	parts := make([][]Result, nChunks)
	all, bounds := e.preallocate(assets, unchanged == nil, chunk, nChunks)
	var next sync.Mutex
	idx := 0
	var wg sync.WaitGroup
	for w := 0; w < min(workers, nChunks); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := &scratch{}
			for {
				next.Lock()
				i := idx
				idx++
				next.Unlock()
				if i >= nChunks {
					return
				}
				end := min((i+1)*chunk, len(assets))
				var out []Result
				if all != nil { // fill this chunk's region of all in place
					out = all[bounds[i]:bounds[i]:bounds[i+1]]
				}
				for _, a := range assets[i*chunk : end] {
					if len(e.byType[a.Type]) == 0 {
						continue
					}
					var only map[*compiled]bool
					if unchanged != nil && unchanged(a) {
						if !rerunType[a.Type] {
							continue
						}
						only = rerun
					}
					out = e.evaluate(s, a, rel, now, only, out)
				}
				parts[i] = out
			}
		}()
	}
	wg.Wait()
	if all != nil {
		// Close the gaps left by policies that did not apply; each part
		// moves down, never over a part not yet moved.
		n := 0
		for _, p := range parts {
			n += copy(all[n:], p)
		}
		return all[:n]
	}
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	all = make([]Result, 0, n)
	for _, p := range parts {
		all = append(all, p...)
	}
	return all
}

// preallocate sizes the result slice of a full evaluation once: bounds[i]
// is where chunk i's results start, at most one per enabled policy of each
// asset's type. An incremental evaluation (full false) runs few policies,
// so it gets nothing and its chunks append.
func (e *Engine) preallocate(assets []*asset.Asset, full bool, chunk, nChunks int) ([]Result, []int) {
	if !full {
		return nil, nil
	}
	bounds := make([]int, nChunks+1)
	for i := 0; i < nChunks; i++ {
		n := 0
		for _, a := range assets[i*chunk : min((i+1)*chunk, len(assets))] {
			n += e.enabled[a.Type]
		}
		bounds[i+1] = bounds[i] + n
	}
	return make([]Result, bounds[nChunks]), bounds
}

// SortResults orders results by policy then asset, for stable output.
func SortResults(rs []Result) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].PolicyID != rs[j].PolicyID {
			return rs[i].PolicyID < rs[j].PolicyID
		}
		return rs[i].AssetID < rs[j].AssetID
	})
}
