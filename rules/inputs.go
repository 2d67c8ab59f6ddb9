package rules

import (
	"sort"

	"github.com/google/cel-go/common/ast"

	"github.com/vigil-sec/vigil/asset"
)

// Inputs is what a check reads beyond its asset's own document.
type Inputs struct {
	Now            bool     // reads `now` (days_since included)
	Account        bool     // calls account()
	Related        []string // types named in related("...") calls
	RelatedDynamic bool     // calls related() with a computed type
}

// Volatile reports whether the check can change its answer while its
// asset's document stays the same.
func (in Inputs) Volatile() bool {
	return in.Now || in.Account || len(in.Related) > 0 || in.RelatedDynamic
}

// rerun reports whether a check with these inputs must run again on an
// unchanged asset, given the asset types that changed since the last
// evaluation (nil: unknown, so every volatile check reruns).
func (in Inputs) rerun(changed map[string]bool) bool {
	switch {
	case in.Now:
		return true
	case changed == nil:
		return in.Volatile()
	case in.Account && changed[asset.TypeAccount]:
		return true
	case in.RelatedDynamic && len(changed) > 0:
		return true
	}
	for _, t := range in.Related {
		if changed[t] {
			return true
		}
	}
	return false
}

// inputsOf finds the inputs of a checked expression.
func inputsOf(e ast.Expr) Inputs {
	var in Inputs
	seen := map[string]bool{}
	ast.PostOrderVisit(e, ast.NewExprVisitor(func(x ast.Expr) {
		switch x.Kind() {
		case ast.IdentKind:
			if x.AsIdent() == "now" {
				in.Now = true
			}
		case ast.CallKind:
			c := x.AsCall()
			switch c.FunctionName() {
			case "vigil_account":
				in.Account = true
			case "vigil_related":
				args := c.Args()
				if len(args) == 2 && args[1].Kind() == ast.LiteralKind {
					if t, ok := args[1].AsLiteral().Value().(string); ok {
						if !seen[t] {
							seen[t] = true
							in.Related = append(in.Related, t)
						}
						return
					}
				}
				in.RelatedDynamic = true
			}
		}
	}))
	sort.Strings(in.Related)
	return in
}
