package groups

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/internal/celguard"
)

var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:/@+-]*$`)

// Matcher is a compiled group: it decides membership from an asset document,
// and often from the compact summary alone. It is safe for concurrent use.
type Matcher struct {
	group    Group
	types    map[string]bool
	criteria []criterion
	prg      cel.Program
	plan     celguard.Plan
}

// criterion is one Match path with its accepted values.
type criterion struct {
	path   string
	values map[string]bool
}

// Compile validates a group's criteria and builds its matcher. The name is
// not required here, so unnamed criteria (a sticky exception's) compile too.
func Compile(g Group) (*Matcher, error) {
	if err := validateCriteria(g); err != nil {
		return nil, err
	}
	m := &Matcher{group: g}
	if len(g.Types) > 0 {
		m.types = make(map[string]bool, len(g.Types))
		for _, t := range g.Types {
			m.types[t] = true
		}
	}
	paths := make([]string, 0, len(g.Match))
	for p := range g.Match {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		c := criterion{path: p, values: make(map[string]bool, len(g.Match[p]))}
		for _, v := range g.Match[p] {
			c.values[v] = true
		}
		m.criteria = append(m.criteria, c)
	}
	if strings.TrimSpace(g.Expr) != "" {
		prg, plan, err := compileExpr(g.Expr)
		if err != nil {
			return nil, fmt.Errorf("group %q: expr: %w", g.Name, err)
		}
		m.prg, m.plan = prg, plan
	}
	return m, nil
}

// BrokenMatcher is the matcher of a group whose definition does not
// compile: it is kept (and shown, with err in Group().Broken) but selects
// no asset.
func BrokenMatcher(g Group, err error) *Matcher {
	g.Broken = err.Error()
	return &Matcher{group: g, types: map[string]bool{}}
}

// Validate reports what is wrong with a named group definition, or nil.
func Validate(g Group) error {
	if g.Name == "" {
		return fmt.Errorf("group: missing name")
	}
	if !namePattern.MatchString(g.Name) {
		return fmt.Errorf("group %q: name may hold letters, digits and _ . : / @ + - only, and not start with a symbol", g.Name)
	}
	_, err := Compile(g)
	return err
}

func validateCriteria(g Group) error {
	for _, t := range g.Types {
		if strings.TrimSpace(t) == "" {
			return fmt.Errorf("group %q: empty resource type in types", g.Name)
		}
	}
	for p, vs := range g.Match {
		if p == "" || strings.HasPrefix(p, ".") || strings.HasSuffix(p, ".") || strings.Contains(p, "..") {
			return fmt.Errorf("group %q: match path %q is not a dotted document path such as tags.Environment", g.Name, p)
		}
		if len(vs) == 0 {
			return fmt.Errorf("group %q: match path %q lists no values", g.Name, p)
		}
	}
	return nil
}

// compileExpr compiles a group expression under the same cost limit,
// interrupt check and capped functions as policy checks.
func compileExpr(expr string) (cel.Program, celguard.Plan, error) {
	env, err := cel.NewEnv(
		cel.Variable("resource", cel.MapType(cel.StringType, cel.DynType)),
		cel.CrossTypeNumericComparisons(true),
		celguard.Strings(), celguard.Lists(),
	)
	if err != nil {
		return nil, celguard.Plan{}, fmt.Errorf("build CEL environment: %w", err)
	}
	ast, iss := env.Compile(expr)
	if iss.Err() != nil {
		return nil, celguard.Plan{}, fmt.Errorf("%s", strings.TrimSpace(iss.Err().Error()))
	}
	if !ast.OutputType().IsExactType(types.BoolType) && !ast.OutputType().IsExactType(types.DynType) {
		return nil, celguard.Plan{}, fmt.Errorf("expression must be a bool, not %s", ast.OutputType())
	}
	plan, err := celguard.PlanProgram(env, ast, celguard.DefaultCostLimit)
	if err != nil {
		return nil, plan, err
	}
	prg, err := env.Program(ast, plan.Options...)
	if err != nil {
		return nil, plan, fmt.Errorf("plan expression: %w", err)
	}
	return prg, plan, nil
}

// Group returns the definition the matcher was compiled from.
func (m *Matcher) Group() Group { return m.group }

// Match reports whether an asset document (asset.Asset.Doc) is a member.
func (m *Matcher) Match(doc map[string]any) bool {
	if m.types != nil {
		t, _ := doc["type"].(string)
		if !m.types[t] {
			return false
		}
	}
	for _, c := range m.criteria {
		v, ok := asset.Get(doc, c.path)
		if !ok || !c.matches(v) {
			return false
		}
	}
	if m.prg != nil {
		out, err := celguard.Eval(m.prg, m.plan, map[string]any{"resource": doc})
		if err != nil {
			return false
		}
		b, ok := out.Value().(bool)
		return ok && b
	}
	return true
}

// MatchSummary decides membership from a summary when it can. needDoc is
// true when the summary cannot decide (attribute paths or an expression);
// then match is false and the caller must use Match on the document.
func (m *Matcher) MatchSummary(s *asset.Summary) (match bool, needDoc bool) {
	if m.types != nil && !m.types[s.Type] {
		return false, false
	}
	undecided := m.prg != nil
	for _, c := range m.criteria {
		v, ok, known := summaryValue(s, c.path)
		if !known {
			undecided = true
			continue
		}
		if !ok || !c.matches(v) {
			return false, false
		}
	}
	if undecided {
		return false, true
	}
	return true, false
}

// summaryValue reads a path a summary can answer. known is false when the
// path needs the full document.
func summaryValue(s *asset.Summary, path string) (v any, ok, known bool) {
	switch path {
	case "id":
		return s.ID, true, true
	case "type":
		return s.Type, true, true
	case "name":
		return s.Name, true, true
	case "account":
		return s.Account, true, true
	case "region":
		return s.Region, true, true
	}
	if tag, isTag := strings.CutPrefix(path, "tags."); isTag && !strings.Contains(tag, ".") {
		v, ok := s.Tags.Get(tag)
		return v, ok, true
	}
	return nil, false, false
}

// matches compares a document value as a string; a list matches when any
// element does.
func (c criterion) matches(v any) bool {
	if list, ok := v.([]any); ok {
		for _, e := range list {
			if c.values[asset.String(e)] {
				return true
			}
		}
		return false
	}
	if list, ok := v.([]string); ok {
		for _, e := range list {
			if c.values[e] {
				return true
			}
		}
		return false
	}
	return c.values[asset.String(v)]
}
