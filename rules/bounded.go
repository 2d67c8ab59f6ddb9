package rules

import "github.com/google/cel-go/common/ast"

// maxBoundedDepth is the deepest comprehension nesting evaluated without cost
// tracking: one or two loops over a document's lists stay proportional to
// the document (times itself), so only deeper nests, which can blow up, pay
// for the tracker (it roughly halves evaluation speed).
const maxBoundedDepth = 2

// needsCostLimit reports whether a checked expression must run under the
// cost limit: comprehensions nested deeper than maxBoundedDepth, or a call
// to lists.range, which makes a list of any length.
func needsCostLimit(e ast.Expr) bool {
	return loopDepth(e) > maxBoundedDepth || callsRange(e)
}

// loopDepth returns the deepest nesting of comprehensions in e.
func loopDepth(e ast.Expr) int {
	if e == nil {
		return 0
	}
	deepest := 0
	visit := func(children ...ast.Expr) {
		for _, c := range children {
			deepest = max(deepest, loopDepth(c))
		}
	}
	switch e.Kind() {
	case ast.ComprehensionKind:
		c := e.AsComprehension()
		inner := max(loopDepth(c.LoopCondition()), loopDepth(c.LoopStep()))
		visit(c.IterRange(), c.AccuInit(), c.Result())
		return max(deepest, inner+1)
	case ast.CallKind:
		c := e.AsCall()
		if c.IsMemberFunction() {
			visit(c.Target())
		}
		visit(c.Args()...)
	case ast.SelectKind:
		visit(e.AsSelect().Operand())
	case ast.ListKind:
		visit(e.AsList().Elements()...)
	case ast.MapKind:
		for _, en := range e.AsMap().Entries() {
			visit(en.AsMapEntry().Key(), en.AsMapEntry().Value())
		}
	case ast.StructKind:
		for _, f := range e.AsStruct().Fields() {
			visit(f.AsStructField().Value())
		}
	}
	return deepest
}

// callsRange reports whether e calls lists.range anywhere.
func callsRange(e ast.Expr) bool {
	found := false
	ast.PostOrderVisit(e, ast.NewExprVisitor(func(x ast.Expr) {
		if x.Kind() == ast.CallKind && x.AsCall().FunctionName() == "lists.range" {
			found = true
		}
	}))
	return found
}
