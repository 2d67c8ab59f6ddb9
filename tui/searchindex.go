package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/tui/omni"
)

// buildIndex indexes a group's assets, every policy and the open violations.
func buildIndex(b Backend, group string) (*omni.Session, error) {
	sums, err := b.Summaries(group)
	if err != nil {
		return nil, err
	}
	vs, err := b.Violations(group, db.ViolationFilter{Status: []string{rules.StatusOpen}})
	if err != nil {
		return nil, err
	}
	return omni.NewSession(omni.ConsoleIndex(sums, b.Policies(), vs)), nil
}

func (p *searchPage) facetLine() string {
	st := p.c.st
	v := func(s string) string {
		if s == "" {
			return st.Subtle.Render("any")
		}
		return st.Key.Render(text(s))
	}
	viol := "any"
	if p.facets.HasViolations != nil {
		viol = map[bool]string{true: "yes", false: "no"}[*p.facets.HasViolations]
	}
	return fit("type "+v(p.facets.Type)+"  account "+v(p.facets.Account)+"  region "+
		v(p.facets.Region)+"  violations "+v(strings.ReplaceAll(viol, "any", "")), p.width)
}

// highlight marks matched rune positions of a safe line, fitted to w.
func highlight(st *Styles, line string, matched []int, w int) string {
	rs := []rune(line)
	set := make(map[int]bool, len(matched))
	for _, m := range matched {
		set[m] = true
	}
	var b strings.Builder
	for i, r := range rs {
		if set[i] {
			b.WriteString(st.Key.Render(string(r)))
		} else {
			b.WriteRune(r)
		}
	}
	if ansi.StringWidth(b.String()) > w {
		return ansi.Truncate(b.String(), w, "…")
	}
	return b.String()
}
