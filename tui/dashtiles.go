package tui

import (
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/rules"
)

// complianceBody shows the overall percentage big, then each category:
// one per line with a bar when there is room, else two per line.
func (d *dashboard) complianceBody(w, h int) string {
	st, sc := d.c.st, d.data.scores
	if d.data.assets == 0 {
		// Nothing evaluated is not "100%, every policy passes".
		msg := "no scan yet: press r to scan your accounts (or run vigil scan)"
		if len(d.data.scans) > 0 {
			msg = "the last scan found no assets in this group"
		}
		return st.Warn.Render(fit(msg, w))
	}
	big := bigText(itoa(sc.Overall) + "%")
	color := st.Good
	switch {
	case sc.Overall < 70:
		color = st.Bad
	case sc.Overall < 90:
		color = st.Warn
	}
	lines := []string{}
	for i, l := range big {
		suffix := ""
		if i == 1 {
			suffix = "  overall " + itoa(sc.Overall) + "%"
		}
		lines = append(lines, color.Render(l)+st.Subtle.Render(suffix))
	}
	var cats []string
	for _, c := range []string{rules.CategorySecurity, rules.CategoryGovernance, rules.CategoryCost, rules.CategoryTagging} {
		if p, ok := sc.Categories[c]; ok {
			cats = append(cats, fit(c, 10)+" "+fit(st.Percent(p), 5))
			if h-4 >= 4 {
				cats[len(cats)-1] += " " + st.Subtle.Render(bar(p, 100, w-17))
			}
		}
	}
	if h-4 >= len(cats) {
		lines = append(lines, "")
		return strings.Join(append(lines, cats...), "\n")
	}
	for i := 0; i < len(cats); i += 2 {
		l := cats[i]
		if i+1 < len(cats) {
			l = fit(l, w/2) + cats[i+1]
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

func (d *dashboard) trendBody(w, h int) string {
	vals := make([]int, len(d.data.trend))
	for i, p := range d.data.trend {
		vals[i] = p.Overall
	}
	chart := trendChart(vals, w, h)
	if len(vals) >= 2 {
		chart += "\n" + d.c.st.Subtle.Render(fit("     "+d.data.trend[0].Day, w-10)+"today")
	}
	return chart
}

func (d *dashboard) sevBody(w int) string {
	st := d.c.st
	lines := []string{}
	for _, s := range []string{rules.SeverityCritical, rules.SeverityHigh, rules.SeverityMedium, rules.SeverityLow} {
		n := d.data.bySev[s]
		lines = append(lines, fit(st.Severity(s), 9)+padLeft(itoa(n), 5)+" "+
			st.Severities[s].Render(bar(n, d.data.open, w-16)))
	}
	return strings.Join(lines, "\n")
}

func (d *dashboard) worstBody(w, n int) string {
	ps := append([]rules.PolicyScore(nil), d.data.scores.Policies...)
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Compliance != ps[j].Compliance {
			return ps[i].Compliance < ps[j].Compliance
		}
		return ps[i].Open > ps[j].Open
	})
	var lines []string
	for _, p := range ps {
		if len(lines) >= n || p.Open == 0 {
			break
		}
		lines = append(lines, fit(d.c.st.Percent(p.Compliance), 5)+cell(p.Name, w-5))
	}
	if len(lines) == 0 {
		return d.c.st.Good.Render("every policy passes")
	}
	return strings.Join(lines, "\n")
}

func (d *dashboard) taggingBody() string {
	st := d.c.st
	p, ok := d.data.scores.Categories[rules.CategoryTagging]
	pct := "n/a"
	if ok {
		pct = st.Percent(p)
	}
	return "compliance " + pct + "\n" + itoa(d.data.untagged) + " untagged assets\n" +
		st.Subtle.Render("enter: tagging violations")
}

func (d *dashboard) assetsBody(w, n int) string {
	type kv struct {
		k string
		v int
	}
	var kvs []kv
	for k, v := range d.data.byType {
		kvs = append(kvs, kv{k, v})
	}
	sort.Slice(kvs, func(i, j int) bool {
		if kvs[i].v != kvs[j].v {
			return kvs[i].v > kvs[j].v
		}
		return kvs[i].k < kvs[j].k
	})
	lines := []string{itoa(d.data.assets) + " assets"}
	cols := max(1, w/28)
	row := ""
	for i, x := range kvs {
		if len(lines) > n {
			break
		}
		row += fit(cell(strings.TrimPrefix(x.k, "aws."), 20)+padLeft(itoa(x.v), 5), w/cols)
		if (i+1)%cols == 0 {
			lines = append(lines, row)
			row = ""
		}
	}
	if row != "" && len(lines) <= n {
		lines = append(lines, row)
	}
	return strings.Join(lines, "\n")
}

func (d *dashboard) activityBody(w, n int) string {
	st, now := d.c.st, d.c.now()
	var lines []string
	for _, s := range d.data.scans {
		ok, failed := s.Counts()
		l := "scan " + fit(text(s.Status), 9) + fit(ago(now, s.Started), 9) + itoa(ok) + " units ok"
		if failed > 0 {
			l += st.Bad.Render(", " + itoa(failed) + " failed")
		}
		lines = append(lines, l)
	}
	for _, f := range d.data.fixes {
		lines = append(lines, "fix  "+fit(text(f.Status), 9)+fit(ago(now, f.At), 9)+text(f.Action))
	}
	if len(lines) > n {
		lines = lines[:n]
	}
	if len(lines) == 0 {
		return st.Subtle.Render("no scans yet — press r to scan")
	}
	return strings.Join(lines, "\n")
}
