package rules

import (
	"fmt"
	"reflect"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/decls"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
	"github.com/google/cel-go/ext"
	"github.com/google/cel-go/parser"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/internal/celguard"
)

// ctxVar is the hidden variable the related() and account() macros pass to
// their implementations: the asset being judged and the resolver.
const ctxVar = "vigil_ctx"

// DefaultCostLimit bounds one evaluation of a check, so a pathological check
// (nested comprehensions over large lists, a chain of growing replaces) ends
// with an evaluation error instead of hanging a scan. Real checks cost well
// under 10,000.
const DefaultCostLimit = celguard.DefaultCostLimit

var (
	mapStringAnyType = reflect.TypeOf(map[string]any{})
	docType          = cel.MapType(cel.StringType, cel.DynType)
	ctxType          = types.NewOpaqueType("vigil.context")
	relsType         = cel.ListType(docType)
)

// unguarded skips cel-go's runtime argument type guards for vigil's
// functions: for a map(string, dyn) parameter the guard walks the whole map
// on every call, and the bindings check their arguments themselves.
var unguarded = decls.DisableTypeGuards(true)

// newEnv builds the CEL environment every check is compiled in: variables
// resource, params and now, the helper functions, the string and list
// extensions, and numeric comparisons across int and double.
func newEnv() (*cel.Env, error) {
	env, err := cel.NewEnv(
		cel.Variable("resource", docType),
		cel.Variable("params", docType),
		cel.Variable("now", cel.TimestampType),
		cel.Variable(ctxVar, ctxType),
		cel.CrossTypeNumericComparisons(true),
		cel.DefaultUTCTimeZone(true),
		cel.OptionalTypes(),
		celguard.Strings(), celguard.Lists(), ext.Sets(),
		cel.Macros(
			cel.GlobalMacro("related", 1, expandWithCtx("vigil_related")),
			cel.GlobalMacro("account", 0, expandWithCtx("vigil_account")),
			cel.GlobalMacro("days_since", 1, expandDaysSince),
		),
		cel.Function("vigil_related", unguarded,
			cel.Overload("vigil_related_ctx_string", []*cel.Type{ctxType, cel.StringType}, relsType,
				cel.BinaryBinding(relatedBinding))),
		cel.Function("vigil_account", unguarded,
			cel.Overload("vigil_account_ctx", []*cel.Type{ctxType}, docType,
				cel.UnaryBinding(accountBinding))),
		cel.Function("vigil_days_since", unguarded,
			cel.Overload("vigil_days_since_string_timestamp", []*cel.Type{cel.StringType, cel.TimestampType}, cel.IntType,
				cel.BinaryBinding(daysSinceBinding))),
		cel.Function("world_open", unguarded,
			cel.Overload("world_open_map", []*cel.Type{docType}, cel.BoolType,
				cel.UnaryBinding(func(v ref.Val) ref.Val { return types.Bool(WorldOpen(toMap(v))) }))),
		cel.Function("covers_port", unguarded,
			cel.Overload("covers_port_map_int", []*cel.Type{docType, cel.IntType}, cel.BoolType,
				cel.BinaryBinding(func(r, p ref.Val) ref.Val {
					n, _ := p.Value().(int64)
					return types.Bool(CoversPort(toMap(r), n))
				}))),
		cel.Function("pattern_covers", unguarded,
			cel.Overload("pattern_covers_string_string", []*cel.Type{cel.StringType, cel.StringType}, cel.BoolType,
				cel.BinaryBinding(func(actual, required ref.Val) ref.Val {
					a, _ := actual.Value().(string)
					r, _ := required.Value().(string)
					return types.Bool(PatternCovers(a, r))
				}))),
		cel.Function("allows_public", unguarded,
			cel.Overload("allows_public_dyn_string", []*cel.Type{cel.DynType, cel.StringType}, cel.BoolType,
				cel.BinaryBinding(func(doc, action ref.Val) ref.Val {
					a, _ := action.Value().(string)
					return types.Bool(AllowsPublic(toMap(doc), a))
				}))),
	)
	if err != nil {
		return nil, fmt.Errorf("build CEL environment: %w", err)
	}
	return env, nil
}

// expandWithCtx rewrites name(args...) into impl(vigil_ctx, args...).
func expandWithCtx(impl string) cel.MacroFactory {
	return func(eh parser.ExprHelper, _ ast.Expr, args []ast.Expr) (ast.Expr, *cel.Error) {
		all := append([]ast.Expr{eh.NewIdent(ctxVar)}, args...)
		return eh.NewCall(impl, all...), nil
	}
}

// expandDaysSince rewrites days_since(x) into vigil_days_since(x, now), so a
// check that counts days is seen to read `now`.
func expandDaysSince(eh parser.ExprHelper, _ ast.Expr, args []ast.Expr) (ast.Expr, *cel.Error) {
	return eh.NewCall("vigil_days_since", args[0], eh.NewIdent("now")), nil
}

// evalCtx is the per-asset value behind vigil_ctx.
type evalCtx struct {
	a   *asset.Asset
	rel Resolver
}

var _ ref.Val = (*evalCtx)(nil)

// ConvertToNative implements ref.Val.
func (c *evalCtx) ConvertToNative(t reflect.Type) (any, error) {
	return nil, fmt.Errorf("vigil context cannot convert to %v", t)
}

// ConvertToType implements ref.Val.
func (c *evalCtx) ConvertToType(ref.Type) ref.Val {
	return types.NewErr("vigil context cannot convert")
}

// Equal implements ref.Val.
func (c *evalCtx) Equal(o ref.Val) ref.Val { return types.Bool(o == ref.Val(c)) }

// Type implements ref.Val.
func (c *evalCtx) Type() ref.Type { return ctxType }

// Value implements ref.Val.
func (c *evalCtx) Value() any { return c }

// assetRelater is a Resolver that can hand over the related assets
// themselves, which related() then shows as lazy documents instead of
// copies.
type assetRelater interface {
	relatedAssets(a *asset.Asset, typ string) []*asset.Asset
}

func relatedBinding(ctx, typ ref.Val) ref.Val {
	c, ok := ctx.(*evalCtx)
	t, _ := typ.Value().(string)
	if !ok || c.rel == nil {
		return types.DefaultTypeAdapter.NativeToValue([]map[string]any{})
	}
	if ar, ok := c.rel.(assetRelater); ok {
		rs := ar.relatedAssets(c.a, t)
		vals := make([]ref.Val, len(rs))
		for i, r := range rs {
			vals[i] = newDocVal(r)
		}
		return types.NewRefValList(types.DefaultTypeAdapter, vals)
	}
	docs := c.rel.Related(c.a, t)
	if docs == nil {
		docs = []map[string]any{}
	}
	return types.DefaultTypeAdapter.NativeToValue(docs)
}

func accountBinding(ctx ref.Val) ref.Val {
	c, ok := ctx.(*evalCtx)
	var doc map[string]any
	if ok && c.rel != nil {
		doc = c.rel.Account(c.a.Account)
	}
	if doc == nil {
		doc = map[string]any{}
	}
	return &docMap{m: doc}
}

func daysSinceBinding(s, now ref.Val) ref.Val {
	str, _ := s.Value().(string)
	t, _ := now.Value().(time.Time)
	return types.Int(DaysSince(str, t))
}

// toMap turns a CEL map value into a Go document without copying when it
// already wraps one; other values (null, non-maps) give nil.
func toMap(v ref.Val) map[string]any {
	if m, ok := v.Value().(map[string]any); ok {
		return m
	}
	if _, ok := v.(traits.Mapper); !ok {
		return nil
	}
	n, err := v.ConvertToNative(mapStringAnyType)
	if err != nil {
		return nil
	}
	m, _ := n.(map[string]any)
	return m
}
