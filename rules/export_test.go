package rules

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/cel-go/common/types"

	"github.com/vigil-sec/vigil/asset"
)

// plainResolver hides every fast path of the Index: only the Resolver
// methods, which copy documents.
type plainResolver struct{ ix *Index }

// PlainResolver (tests only) is ix without its fast paths.
func PlainResolver(ix *Index) Resolver { return plainResolver{ix} }

func (p plainResolver) Related(a *asset.Asset, typ string) []map[string]any {
	return p.ix.Related(a, typ)
}
func (p plainResolver) Account(acct string) map[string]any { return p.ix.Account(acct) }

// ReferenceEvaluate (tests only) judges a with the engine's compiled programs the plain way:
// `resource` is the merged Asset.Doc map, related() gets copied documents,
// and messages execute the whole template over the whole document.
func ReferenceEvaluate(e *Engine, a *asset.Asset, rel Resolver, now time.Time) []Result {
	var out []Result
	doc := a.Doc()
	for _, c := range e.byType[a.Type] {
		if c.disabled {
			continue
		}
		if c.scope != nil && !c.scope.Match(doc) {
			continue
		}
		r := Result{PolicyID: c.policy.ID, AssetID: a.ID}
		v, _, err := c.prg.Eval(map[string]any{
			"resource": doc, "params": c.params, "now": types.Timestamp{Time: now},
			ctxVar: &evalCtx{a: a, rel: rel},
		})
		switch b, ok := v.(types.Bool); {
		case err != nil:
			r.Err = err
		case !ok:
			r.Err = fmt.Errorf("not a bool")
		default:
			r.Pass = bool(b)
		}
		if err == nil && !r.Pass && r.Err == nil {
			r.Message = c.policy.Name
			if c.msg != nil {
				var sb strings.Builder
				if c.msg.tmpl.Execute(&sb, doc) == nil {
					if m := asset.Clean(strings.ReplaceAll(sb.String(), "<no value>", "")); m != "" {
						r.Message = m
					}
				}
			}
		}
		out = append(out, r)
	}
	return out
}
