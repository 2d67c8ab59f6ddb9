package rules

import (
	"errors"
	"fmt"
	"strings"
)

// filterNode is one node of a parsed CloudWatch Logs JSON filter pattern:
// a comparison (term) or an && / || of two or more nodes.
type filterNode struct {
	op   string // "term", "&&" or "||"
	term string // canonical comparison, for op "term"
	kids []*filterNode
}

// PatternCovers reports whether the CloudWatch Logs JSON filter pattern
// actual matches at least every event the pattern required matches, judged
// on their structure: whitespace, quoting of values, redundant parentheses
// and the order of && and || operands do not matter, and a filter with
// extra || alternatives or fewer && conditions still covers. The judgement
// is sound, not complete: an answer of true is always right. A pattern
// that does not parse covers nothing.
func PatternCovers(actual, required string) bool {
	a, err := parseFilterPattern(actual)
	if err != nil {
		return false
	}
	r, err := parseFilterPattern(required)
	if err != nil {
		return false
	}
	return nodeCovers(a, r)
}

// nodeCovers reports whether x matches every event r matches.
func nodeCovers(x, r *filterNode) bool {
	if r.op == "||" { // every alternative of r must be covered
		for _, k := range r.kids {
			if !nodeCovers(x, k) {
				return false
			}
		}
		return true
	}
	if r.op == "&&" { // x covering one conjunct covers their conjunction
		for _, k := range r.kids {
			if nodeCovers(x, k) {
				return true
			}
		}
	}
	switch x.op {
	case "&&":
		for _, k := range x.kids {
			if !nodeCovers(k, r) {
				return false
			}
		}
		return true
	case "||":
		for _, k := range x.kids {
			if nodeCovers(k, r) {
				return true
			}
		}
		return false
	}
	return r.op == "term" && x.term == r.term
}

// errNotJSONPattern is returned for text and space-delimited patterns,
// which CIS monitoring filters never are.
var errNotJSONPattern = errors.New("not a JSON filter pattern { ... }")

// parseFilterPattern parses a JSON filter pattern "{ ($.a = 1) && ... }".
// && binds tighter than ||; operands of the same operator are flattened.
func parseFilterPattern(s string) (*filterNode, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
		return nil, errNotJSONPattern
	}
	p := &patternParser{s: s[1 : len(s)-1]}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, fmt.Errorf("unexpected %q at %d", p.s[p.i:], p.i)
	}
	return n, nil
}

// patternParser is a recursive-descent parser over a pattern's body.
type patternParser struct {
	s string
	i int
}

func (p *patternParser) space() {
	for p.i < len(p.s) && strings.ContainsRune(" \t\r\n", rune(p.s[p.i])) {
		p.i++
	}
}

func (p *patternParser) eat(tok string) bool {
	p.space()
	if strings.HasPrefix(p.s[p.i:], tok) {
		p.i += len(tok)
		return true
	}
	return false
}

func (p *patternParser) or() (*filterNode, error) {
	return p.chain("||", p.and)
}

func (p *patternParser) and() (*filterNode, error) {
	return p.chain("&&", p.primary)
}

// chain parses next (op next)* into one flattened node.
func (p *patternParser) chain(op string, next func() (*filterNode, error)) (*filterNode, error) {
	first, err := next()
	if err != nil {
		return nil, err
	}
	n := &filterNode{op: op}
	add := func(k *filterNode) {
		if k.op == op {
			n.kids = append(n.kids, k.kids...)
		} else {
			n.kids = append(n.kids, k)
		}
	}
	add(first)
	for p.eat(op) {
		k, err := next()
		if err != nil {
			return nil, err
		}
		add(k)
	}
	if len(n.kids) == 1 {
		return n.kids[0], nil
	}
	return n, nil
}

func (p *patternParser) primary() (*filterNode, error) {
	if p.eat("(") {
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.eat(")") {
			return nil, fmt.Errorf("missing ) at %d", p.i)
		}
		return n, nil
	}
	return p.comparison()
}

// comparison parses "$.sel OP value", "$.sel NOT EXISTS", "$.sel IS TRUE"
// and the like into a canonical term: selector, operator and unquoted
// value separated by single spaces.
func (p *patternParser) comparison() (*filterNode, error) {
	p.space()
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune(" \t\r\n=!<>()&|", rune(p.s[p.i])) {
		p.i++
	}
	sel := p.s[start:p.i]
	if !strings.HasPrefix(sel, "$") {
		return nil, fmt.Errorf("expected a $. selector at %d", start)
	}
	for _, kw := range []string{"NOT EXISTS", "IS TRUE", "IS FALSE", "IS NULL", "EXISTS"} {
		if p.eat(kw) {
			return &filterNode{op: "term", term: sel + " " + kw}, nil
		}
	}
	var op string
	for _, o := range []string{"!=", "<=", ">=", "=", "<", ">"} {
		if p.eat(o) {
			op = o
			break
		}
	}
	if op == "" {
		return nil, fmt.Errorf("expected a comparison after %s", sel)
	}
	val, err := p.value()
	if err != nil {
		return nil, err
	}
	return &filterNode{op: "term", term: sel + " " + op + " " + val}, nil
}

// value reads a quoted string (without its quotes) or a bare word.
func (p *patternParser) value() (string, error) {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '"' {
		var b strings.Builder
		for p.i++; p.i < len(p.s); p.i++ {
			switch c := p.s[p.i]; {
			case c == '\\' && p.i+1 < len(p.s):
				p.i++
				b.WriteByte(p.s[p.i])
			case c == '"':
				p.i++
				return b.String(), nil
			default:
				b.WriteByte(c)
			}
		}
		return "", errors.New("unterminated string")
	}
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune(" \t\r\n()&|", rune(p.s[p.i])) {
		p.i++
	}
	if p.i == start {
		return "", fmt.Errorf("expected a value at %d", start)
	}
	return p.s[start:p.i], nil
}
