package rules

import (
	"fmt"
	"strings"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/internal/celguard"
	"gopkg.in/yaml.v3"
)

// compileCheck type-checks a policy's CEL check and reports errors at their
// line and column in the file.
func (ps *fileParser) compileCheck(env *cel.Env, p *Policy, checkNode *yaml.Node) error {
	ast, iss := env.Compile(p.Check)
	if iss == nil || iss.Err() == nil {
		if err := checkOutput(ast.OutputType()); err != nil {
			return ps.errAt(checkNode, "check: %s", err)
		}
		if _, err := celguard.PlanProgram(env, ast, DefaultCostLimit); err != nil {
			return ps.errAt(checkNode, "check: %s; loop over fewer elements or drop nested loops", err)
		}
		return nil
	}
	e := iss.Errors()[0]
	line, col := ps.checkPosition(checkNode, e.Location.Line(), e.Location.Column())
	return &fileError{file: ps.file, line: line, col: col, msg: "check: " + e.Message}
}

// checkPosition maps a CEL position (1-based line, 0-based column inside the
// check text) to a 1-based line and column in the file.
func (ps *fileParser) checkPosition(n *yaml.Node, celLine, celCol int) (int, int) {
	if n == nil {
		return 0, 0
	}
	if celLine < 1 {
		celLine = 1
	}
	if n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle {
		indent := 0
		for i := n.Line; i < len(ps.lines); i++ { // ps.lines[n.Line] is the first content line
			if t := strings.TrimSpace(ps.lines[i]); t != "" {
				indent = len(ps.lines[i]) - len(strings.TrimLeft(ps.lines[i], " "))
				break
			}
		}
		return n.Line + celLine, indent + celCol + 1
	}
	col := n.Column + celCol
	if n.Style == yaml.DoubleQuotedStyle || n.Style == yaml.SingleQuotedStyle {
		col++
	}
	if celLine > 1 {
		return n.Line + celLine - 1, celCol + 1
	}
	return n.Line, col
}

// compiled is a policy ready to evaluate: its program, message template and
// whether it reads data outside the asset's own document.
type compiled struct {
	policy    *Policy
	prg       cel.Program
	plan      celguard.Plan
	msg       *message
	inputs    Inputs
	volatile  bool
	disabled  bool
	params    map[string]any
	paramsVal ref.Val
	scope     *groups.Matcher
}

// compileProgram compiles a check into a program that must yield a bool.
func compileProgram(env *cel.Env, p *Policy, costLimit uint64) (*compiled, error) {
	ast, iss := env.Compile(p.Check)
	if iss != nil && iss.Err() != nil {
		return nil, fmt.Errorf("policy %s: check: %w", p.ID, iss.Err())
	}
	if err := checkOutput(ast.OutputType()); err != nil {
		return nil, err
	}
	plan, err := celguard.PlanProgram(env, ast, costLimit)
	if err != nil {
		return nil, fmt.Errorf("policy %s: check: %w", p.ID, err)
	}
	opts := append([]cel.ProgramOption{cel.EvalOptions(cel.OptOptimize)}, plan.Options...)
	prg, err := env.Program(ast, opts...)
	if err != nil {
		return nil, fmt.Errorf("policy %s: plan check: %w", p.ID, err)
	}
	c := &compiled{policy: p, prg: prg, plan: plan, inputs: inputsOf(ast.NativeRep().Expr())}
	c.volatile = c.inputs.Volatile()
	c.msg = newMessage(p)
	return c, nil
}

// checkOutput accepts a check whose type is bool (or dyn, decided at run time).
func checkOutput(out *cel.Type) error {
	if !out.IsExactType(types.BoolType) && !out.IsExactType(types.DynType) {
		return fmt.Errorf("must be a bool expression (true when compliant), not %s", out)
	}
	return nil
}
