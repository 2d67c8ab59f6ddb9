package tui

import (
	"strings"

	"github.com/vigil-sec/vigil/tui/omni"
)

// searchCols are the widths of the search result columns at one terminal
// width; 0 hides a column (type first, then region, then the field).
type searchCols struct {
	kind, name, typ, account, region, field int
}

func searchColumns(w int) searchCols {
	c := searchCols{kind: 9, typ: 22, account: 14, region: 14, field: 14}
	if w < 120 {
		c.typ = 0
	}
	if w < 90 {
		c.region = 0
	}
	if w < 70 {
		c.field = 0
	}
	rest := w - 2 - c.kind - 1
	for _, x := range []int{c.typ, c.account, c.region, c.field} {
		if x > 0 {
			rest -= x + 1
		}
	}
	c.name = max(8, rest)
	return c
}

func (c searchCols) header() string {
	return fit("KIND", c.kind) + " " + fit("NAME", c.name) + c.rest("TYPE", "ACCOUNT", "REGION", "MATCHED")
}

// rest lays out the cells after the name, each fitted to its column and
// led by a space.
func (c searchCols) rest(typ, account, region, field string) string {
	var b strings.Builder
	for _, x := range []struct {
		w int
		s string
	}{{c.typ, typ}, {c.account, account}, {c.region, region}, {c.field, field}} {
		if x.w > 0 {
			b.WriteString(" " + fit(x.s, x.w))
		}
	}
	return b.String()
}

// row draws hit h: the name column marks the letters that matched in it
// (the line starts with the name); the selected row is marked with "> " and
// the selection style, and keeps its marks.
func (p *searchPage) row(c searchCols, h *omni.Hit, selected bool) string {
	st := p.c.st
	it := h.Item
	name := it.Title
	if name == "" {
		name = it.ID
	}
	name = text(name)
	// Matched positions count in the line, which starts with the title
	// (or the ID when the title is empty or equal to it).
	var inName []int
	for _, m := range h.Matched {
		if m < len([]rune(name)) {
			inName = append(inName, m)
		}
	}
	acct := it.Account
	if n := p.accounts[acct]; n != "" {
		acct = n
	}
	mark := st.Key
	if selected {
		mark = st.Selected.Bold(true).Underline(true)
	}
	before := fit(it.Kind.String(), c.kind) + " "
	after := c.rest(text(it.Type), text(acct), text(it.Region), h.Field)
	named := p.highlight(name, inName, c.name, mark)
	if selected {
		return st.Selected.Render("> "+before) + named + st.Selected.Render(after)
	}
	return "  " + st.Subtle.Render(before) + named + after
}
