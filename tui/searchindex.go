package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/tui/omni"
)

// buildIndex indexes a group's assets, every policy and the open
// violations, and names the accounts (account ID -> the name of its
// aws.account asset) for the result columns.
func buildIndex(b Backend, group string) (*omni.Session, map[string]string, error) {
	sums, err := b.Summaries(group)
	if err != nil {
		return nil, nil, err
	}
	vs, err := b.Violations(group, db.ViolationFilter{Status: []string{rules.StatusOpen}})
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	for i := range sums {
		if sums[i].Type == asset.TypeAccount && sums[i].Name != "" && sums[i].Name != sums[i].Account {
			names[sums[i].Account] = sums[i].Name
		}
	}
	build := func() (*omni.Index, error) { return omni.ConsoleIndex(sums, b.Policies(), vs), nil }
	if sh, ok := b.(indexSharer); ok {
		ix, err := sh.SearchIndex(group, build)
		if err != nil {
			return nil, nil, err
		}
		return omni.NewSession(ix), names, nil
	}
	ix, _ := build()
	return omni.NewSession(ix), names, nil
}

// indexSharer is a backend whose sessions share one search index per group
// (vigil serve: built once, not once per session).
type indexSharer interface {
	SearchIndex(group string, build func() (*omni.Index, error)) (*omni.Index, error)
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

// highlight marks matched rune positions of a safe string (positions
// counted from its start), fitted to w columns: cut with an ellipsis or
// padded. Under a colourless profile the marks are bold and underlined, so
// a match still shows.
func (p *searchPage) highlight(s string, matched []int, w int, mark lipgloss.Style) string {
	rs := []rune(s)
	keep, used, cut := len(rs), 0, false
	if ansi.StringWidth(s) > w {
		cut = true
		for i, r := range rs {
			rw := ansi.StringWidth(string(r))
			if used+rw > w-1 {
				keep = i
				break
			}
			used += rw
		}
	} else {
		used = ansi.StringWidth(s)
	}
	set := make(map[int]bool, len(matched))
	for _, m := range matched {
		set[m] = true
	}
	plain := p.c.r != nil && p.c.r.ColorProfile() == termenv.Ascii
	var b strings.Builder
	for i, r := range rs[:keep] {
		switch {
		case !set[i]:
			b.WriteRune(r)
		case plain:
			b.WriteString("\x1b[1;4m" + string(r) + "\x1b[22;24m")
		default:
			b.WriteString(mark.Render(string(r)))
		}
	}
	if cut {
		b.WriteString("…")
		used++
	}
	return b.String() + strings.Repeat(" ", max(0, w-used))
}
