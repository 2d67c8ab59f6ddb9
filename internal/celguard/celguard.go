// Package celguard bounds what one CEL evaluation may cost: a cost limit on
// every program, an interrupt check with a deadline on every evaluation that
// loops, and size caps on the functions that can make a large value from a
// small one (string replace, lists.range). Policies (rules) and group
// expressions (groups) compile through it, so one bad expression costs at
// most milliseconds and a few MiB per asset and ends in an evaluation error.
package celguard

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"
	"github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/ext"
)

// DefaultCostLimit bounds one evaluation in CEL cost units (about one unit
// per operation or per ten bytes copied). Real checks cost well under
// 10,000; a check over the limit gives an evaluation error.
const DefaultCostLimit = 1_000_000

// EvalTimeout is the deadline of one evaluation that loops: the cost limit
// normally stops a runaway check long before it, and the deadline catches
// what the cost model does not see (functions implemented in Go).
const EvalTimeout = 100 * time.Millisecond

// InterruptEvery is how many comprehension iterations run between two looks
// at the evaluation's deadline.
const InterruptEvery = 100

// MaxStringBytes caps a string made by replace: a chain of replacements
// that multiplies its input stops with an error before it allocates more.
const MaxStringBytes = 1 << 20

// MaxRangeSize caps the list lists.range(n) makes.
const MaxRangeSize = 100_000

// ErrCostLimit marks a check whose static cost estimate shows it always
// exceeds the cost limit.
var ErrCostLimit = errors.New("check always exceeds the cost limit")

// Lists is ext.Lists with lists.range capped at MaxRangeSize.
func Lists() cel.EnvOption { return ext.Lists(ext.ListsMaxRangeSize(MaxRangeSize)) }

// Strings is ext.Strings with replace computing its result's size first
// and refusing one over MaxStringBytes.
func Strings() cel.EnvOption {
	return cel.Lib(stringsLib{})
}

// stringsLib is ext.Strings followed by the capped replace.
type stringsLib struct{}

// LibraryName implements cel.Library.
func (stringsLib) LibraryName() string { return "vigil.lib.strings" }

// ProgramOptions implements cel.Library.
func (stringsLib) ProgramOptions() []cel.ProgramOption { return nil }

// CompileOptions implements cel.Library.
func (stringsLib) CompileOptions() []cel.EnvOption {
	return []cel.EnvOption{
		ext.Strings(),
		cel.Function("replace",
			cel.MemberOverload("string_replace_string_string",
				[]*cel.Type{cel.StringType, cel.StringType, cel.StringType}, cel.StringType,
				cel.FunctionBinding(func(args ...ref.Val) ref.Val {
					return cappedReplace(args[0], args[1], args[2], -1)
				})),
			cel.MemberOverload("string_replace_string_string_int",
				[]*cel.Type{cel.StringType, cel.StringType, cel.StringType, cel.IntType}, cel.StringType,
				cel.FunctionBinding(func(args ...ref.Val) ref.Val {
					n, _ := args[3].(types.Int)
					return cappedReplace(args[0], args[1], args[2], int64(n))
				}))),
	}
}

// cappedReplace is strings.Replace that first computes the size of its
// result and refuses one over MaxStringBytes.
func cappedReplace(sv, ov, nv ref.Val, n int64) ref.Val {
	s, ok1 := sv.(types.String)
	old, ok2 := ov.(types.String)
	repl, ok3 := nv.(types.String)
	if !ok1 || !ok2 || !ok3 {
		return types.NewErr("replace: arguments must be strings")
	}
	if n == 0 {
		return s
	}
	count := int64(strings.Count(string(s), string(old)))
	if n > 0 && n < count {
		count = n
	}
	size := int64(len(s)) + count*(int64(len(repl))-int64(len(old)))
	if size > MaxStringBytes {
		return types.NewErr("replace: result of %d bytes exceeds the limit of %d bytes", size, MaxStringBytes)
	}
	if n > math.MaxInt32 {
		n = -1
	}
	return types.String(strings.Replace(string(s), string(old), string(repl), int(n)))
}

// Plan is how a checked expression is to be evaluated: its program options
// and whether it loops (then each evaluation runs under a deadline).
type Plan struct {
	Options []cel.ProgramOption
	Loops   bool
	// Tracked is false when the static estimate proves the expression
	// cannot reach the limit, so no run-time tracker is needed.
	Tracked bool
}

// PlanProgram chooses the program options of a checked expression: the
// interrupt check always, and the run-time cost limit unless the static
// cost estimate is already within it. An expression whose cheapest
// evaluation exceeds the limit is refused with ErrCostLimit.
func PlanProgram(env *cel.Env, a *cel.Ast, limit uint64) (Plan, error) {
	if limit == 0 {
		limit = DefaultCostLimit
	}
	p := Plan{Options: []cel.ProgramOption{cel.InterruptCheckFrequency(InterruptEvery)}, Loops: loops(a.NativeRep().Expr())}
	est, err := env.EstimateCost(a, noSizes{})
	// Only a known minimum refuses: with unknown input sizes cel-go's
	// minimum can be "unbounded", which proves nothing.
	if err == nil && est.Min > limit && est.Min != math.MaxUint64 {
		return p, fmt.Errorf("%w (%d): its cheapest run costs %d", ErrCostLimit, limit, est.Min)
	}
	if err != nil || est.Max > limit {
		p.Options = append(p.Options, cel.CostLimit(limit))
		p.Tracked = true
	}
	return p, nil
}

// noSizes knows nothing about input sizes: unknown lists and strings are
// as large as can be, so an estimate within the limit is a proof.
type noSizes struct{}

// EstimateSize implements checker.CostEstimator.
func (noSizes) EstimateSize(checker.AstNode) *checker.SizeEstimate { return nil }

// EstimateCallCost implements checker.CostEstimator.
func (noSizes) EstimateCallCost(string, string, *checker.AstNode, []checker.AstNode) *checker.CallEstimate {
	return nil
}

// loops reports whether an expression holds a comprehension, the only
// place cel-go looks at the interrupt.
func loops(e ast.Expr) bool {
	found := false
	ast.PostOrderVisit(e, ast.NewExprVisitor(func(x ast.Expr) {
		if x.Kind() == ast.ComprehensionKind {
			found = true
		}
	}))
	return found
}

// Eval evaluates prg over vars; when the plan loops, under a deadline of
// EvalTimeout from now. Errors say which limit stopped the evaluation.
func Eval(prg cel.Program, p Plan, vars any) (ref.Val, error) {
	if !p.Loops {
		v, _, err := prg.Eval(vars)
		return v, explain(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), EvalTimeout)
	v, _, err := prg.ContextEval(ctx, vars)
	cancel()
	return v, explain(err)
}

// explain turns cel-go's limit errors into ones that say what to do.
func explain(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("stopped after %s (the evaluation deadline): simplify the expression: %w", EvalTimeout, err)
	case strings.Contains(err.Error(), "cost limit exceeded"):
		return fmt.Errorf("stopped at the cost limit: the expression does too much work for one asset: %w", err)
	}
	return err
}
