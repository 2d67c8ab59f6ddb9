package tui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/rules"
)

func (p *assetPage) openCount() int {
	n := 0
	for _, v := range p.data.violations {
		if v.Status == rules.StatusOpen {
			n++
		}
	}
	return n
}

func (p *assetPage) overview() string {
	st, a, d := p.c.st, p.data.a, p.data
	row := func(k, v string) string { return st.Subtle.Render(fit(k, 12)) + text(v) }
	lines := []string{
		row("name", a.Name), row("id", a.ID), row("type", a.Type),
		row("account", a.Account), row("region", a.Region), row("source", a.Source),
		row("first seen", shortTime(a.FirstSeen)), row("last seen", shortTime(a.LastSeen)),
	}
	for _, k := range []string{"state", "status", "key_state"} {
		if v, ok := a.Attrs[k]; ok {
			lines = append(lines, row("state", asset.String(v)))
			break
		}
	}
	open := p.openCount()
	comp := 100
	if d.evaluated > 0 {
		comp = max(0, (d.evaluated-open)*100/d.evaluated)
	}
	lines = append(lines, row("compliance", "")+st.Percent(comp)+
		st.Subtle.Render(fmt.Sprintf("  %d open of %d policies", open, d.evaluated)))
	lines = append(lines, row("exceptions", itoa(len(d.exceptions))), "", st.ColHeader.Render("tags"))
	keys := make([]string, 0, len(a.Tags))
	for k := range a.Tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		lines = append(lines, "  "+text(k)+" = "+text(a.Tags[k]))
	}
	if len(keys) == 0 {
		lines = append(lines, st.Warn.Render("  untagged"))
	}
	return strings.Join(lines, "\n")
}

func (p *assetPage) violationDetail() string {
	st := p.c.st
	i := p.viols.Selected()
	if i < 0 {
		return ""
	}
	v := p.data.violations[i]
	lines := []string{st.ColHeader.Render("message ") + text(v.Message)}
	for _, e := range p.data.exceptions {
		if e.ID == v.ExceptionID || e.ViolationID == v.ID {
			lines = append(lines, st.Warn.Render("exception ")+text(e.Kind+": "+e.Reason+" (by "+e.Author+
				", until "+e.Expires.UTC().Format("2006-01-02")+")"))
		}
	}
	for j := len(v.History) - 1; j >= 0; j-- {
		t := v.History[j]
		from := t.From
		if from == "" {
			from = "new"
		}
		lines = append(lines, "  "+shortTime(t.At)+"  "+text(from)+" → "+text(t.To)+"  "+
			st.Subtle.Render(text(t.By)+" "+text(t.Reason)))
	}
	return strings.Join(lines, "\n")
}
