package cycle

import (
	"fmt"
	"slices"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// confine keeps the summaries in a scope (a fresh slice).
func confine(sums []asset.Summary, sc Scope) []asset.Summary {
	out := make([]asset.Summary, 0, len(sc))
	for i := range sums {
		if sc.Has(sums[i].ID) {
			out = append(out, sums[i])
		}
	}
	return out
}

// confineViolations keeps the violations of assets in a scope.
func confineViolations(vs []rules.Violation, sc Scope) []rules.Violation {
	out := make([]rules.Violation, 0, len(vs))
	for _, v := range vs {
		if sc.Has(v.AssetID) {
			out = append(out, v)
		}
	}
	return out
}

// currentScope is the actor's scope for the current generation.
func (b *Backend) currentScope() (Scope, error) {
	if !b.actor.Scoped() {
		return nil, nil
	}
	if _, err := b.summaries(); err != nil {
		return nil, err
	}
	b.sumsMu.Lock()
	defer b.sumsMu.Unlock()
	return b.scope, nil
}

// visible returns db.ErrNotFound for an asset outside the actor's groups,
// so a confined user cannot tell it from one that does not exist.
func (b *Backend) visible(id string) error {
	sc, err := b.currentScope()
	if err != nil {
		return err
	}
	if !sc.Has(id) {
		return fmt.Errorf("asset %s: %w", id, db.ErrNotFound)
	}
	return nil
}

// confineViolations keeps the violations of assets in the actor's scope.
func (b *Backend) confineViolations(vs []rules.Violation) ([]rules.Violation, error) {
	sc, err := b.currentScope()
	if err != nil || sc == nil {
		return vs, err
	}
	return confineViolations(vs, sc), nil
}

// confineExceptions keeps the individual exceptions of violations in scope
// and every sticky one (its criteria are policy, not inventory).
func (b *Backend) confineExceptions(es []rules.Exception) ([]rules.Exception, error) {
	sc, err := b.currentScope()
	if err != nil || sc == nil {
		return es, err
	}
	out := es[:0]
	for _, e := range es {
		if e.Kind == rules.ExceptionIndividual {
			v, err := b.C.Store.Violation(e.ViolationID)
			if err != nil || !sc.Has(v.AssetID) {
				continue
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// confineFixes keeps the fix records of assets in scope, newest limit.
func (b *Backend) confineFixes(recs []fix.Record, limit int) ([]fix.Record, error) {
	sc, err := b.currentScope()
	if err != nil || sc == nil {
		return recs, err
	}
	out := recs[:0]
	for _, r := range recs {
		if sc.Has(r.AssetID) {
			out = append(out, r)
			if limit > 0 && len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

// groupVisible reports whether a confined actor may pick a group: "all"
// (meaning all of its scope) and the groups it is confined to.
func (b *Backend) groupVisible(name string) bool {
	return !b.actor.Scoped() || name == groups.All || slices.Contains(b.actor.Groups, name)
}

// visibleGroups keeps the groups the actor may pick.
func (b *Backend) visibleGroups(gs []groups.Group) []groups.Group {
	if !b.actor.Scoped() {
		return gs
	}
	out := gs[:0]
	for _, g := range gs {
		if b.groupVisible(g.Name) {
			out = append(out, g)
		}
	}
	return out
}
