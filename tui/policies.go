package tui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/rules"
)

// policyRow is a policy joined with its score in the current group.
type policyRow struct {
	pol   rules.Policy
	score rules.PolicyScore
}

// policiesPage lists policies with compliance, open, exempt, severity,
// category and autofix, worst severity first; s/S sort by a column, F
// filters, enter opens the policy.
type policiesPage struct {
	base
	rows []policyRow
	tbl  *table
}

func newPoliciesPage(c *common) *policiesPage {
	p := &policiesPage{base: newBase(c)}
	p.tbl = newTable(c, []column{
		{title: "Compl", width: 6, less: func(a, b int) bool { return complRank(p.rows[a]) < complRank(p.rows[b]) }},
		{title: "Open", width: 5, less: func(a, b int) bool { return p.rows[a].score.Open < p.rows[b].score.Open }},
		{title: "Exempt", width: 7, less: func(a, b int) bool { return p.rows[a].score.Exempt < p.rows[b].score.Exempt }},
		{title: "Severity", width: 9, less: func(a, b int) bool {
			return rules.SeverityRank(p.rows[a].pol.Severity) < rules.SeverityRank(p.rows[b].pol.Severity)
		}},
		{title: "Category", width: 10}, {title: "Fix", width: 7},
		{title: "Policy", width: 20, flex: true},
	})
	p.tbl.key = func(i int) string { return p.rows[i].pol.ID }
	p.tbl.paint = func(i, col int, s string) string {
		switch col {
		case 0:
			if p.rows[i].pol.Disabled {
				return c.st.Subtle.Render(s)
			}
			return c.st.Percent(p.rows[i].score.Compliance) + s[len(itoa(p.rows[i].score.Compliance))+1:]
		case 3:
			if st, ok := c.st.Severities[p.rows[i].pol.Severity]; ok {
				return st.Render(s)
			}
		}
		return s
	}
	return p
}

// Title is the breadcrumb of the page.
func (p *policiesPage) Title() string { return "Policies" }

// Init starts the first load.
func (p *policiesPage) Init() tea.Cmd {
	b, group, domain := p.c.b, p.c.group, p.c.domain
	return p.load(func() (any, error) {
		sc, err := b.Scores(group, domain)
		if err != nil {
			return nil, err
		}
		by := map[string]rules.PolicyScore{}
		for _, s := range sc.Policies {
			by[s.PolicyID] = s
		}
		pols := b.Policies()
		rows := make([]policyRow, len(pols))
		for i, pol := range pols {
			s, ok := by[pol.ID]
			if !ok {
				s = rules.PolicyScore{PolicyID: pol.ID, Compliance: 100}
			}
			rows[i] = policyRow{pol, s}
		}
		return rows, nil
	})
}

// complRank orders by compliance, disabled policies (no score) last.
func complRank(r policyRow) int {
	if r.pol.Disabled {
		return 1000
	}
	return r.score.Compliance
}

// compliance is a policy's score as shown: "disabled" when it is off (a
// disabled policy judges nothing, so 100% would mislead).
func compliance(st *Styles, disabled bool, pct int) string {
	if disabled {
		return st.Warn.Render("disabled")
	}
	return st.Percent(pct)
}

// sortRows puts the rows in the page's own order (worst severity, then
// most open, then ID) and hands them to the table, which applies s/S.
func (p *policiesPage) sortRows() {
	sort.SliceStable(p.rows, func(i, j int) bool {
		a, b := &p.rows[i], &p.rows[j]
		if ra, rb := rules.SeverityRank(a.pol.Severity), rules.SeverityRank(b.pol.Severity); ra != rb {
			return ra < rb
		}
		if a.score.Open != b.score.Open {
			return a.score.Open > b.score.Open
		}
		return a.pol.ID < b.pol.ID
	})
	rows := p.rows
	p.tbl.SetRows(len(rows), func(i int) []string {
		r := &rows[i]
		fixs := "-"
		switch {
		case r.pol.Autofix:
			fixs = "auto"
		case r.pol.Fix != "":
			fixs = "manual"
		}
		name := r.pol.ID
		if r.pol.Disabled {
			name += " (disabled)"
		}
		if r.score.Errors > 0 { // checks that could not be evaluated: neither pass nor fail
			name += fmt.Sprintf(" (%d errors)", r.score.Errors)
		}
		compl := itoa(r.score.Compliance) + "%"
		if r.pol.Disabled {
			compl = "off"
		}
		return []string{compl, itoa(r.score.Open), itoa(r.score.Exempt),
			r.pol.Severity, r.pol.Category, fixs, name + "  " + r.pol.Name}
	})
}

// Update handles results and keys.
func (p *policiesPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if d, ok := p.accept(msg); ok {
		p.rows = d.([]policyRow)
		p.sortRows()
		return p, nil
	}
	switch msg := msg.(type) {
	case groupChangedMsg, refreshMsg:
		return p, p.Init()
	case tea.KeyMsg:
		if used, cmd := p.tbl.Update(msg); used {
			return p, cmd
		}
		if key.Matches(msg, p.c.keys.Open) {
			if i := p.tbl.Selected(); i >= 0 {
				return p, push(newPolicyPage(p.c, p.rows[i].pol.ID))
			}
		}
	}
	return p, nil
}

// Capturing reports whether typed text goes to an input.
func (p *policiesPage) Capturing() bool { return p.tbl.Capturing() }

// Esc clears an applied filter before esc closes the page.
func (p *policiesPage) Esc() bool {
	if p.tbl.filterText != "" {
		p.tbl.SetFilter("")
		return true
	}
	return false
}

// SetSize fits the component to its box.
func (p *policiesPage) SetSize(w, h int) {
	p.base.SetSize(w, h)
	p.tbl.SetSize(w, h-1)
}

// ShortHelp lists the footer key hints.
func (p *policiesPage) ShortHelp() []key.Binding { return p.listHelp(p.c.keys.Sort) }

// FullHelp lists every binding for the help overlay.
func (p *policiesPage) FullHelp() [][]key.Binding { return p.fullList(p.c.keys.Sort) }

// View draws the component.
func (p *policiesPage) View() string {
	order := p.tbl.sortLabel()
	if order == "" {
		order = "worst severity first"
	}
	head := p.c.st.Subtle.Render(itoa(p.tbl.Len()) + " policies, " + order)
	if s := p.status(); s != "" {
		head = s
	}
	return head + "\n" + strings.TrimRight(p.tbl.View(), "")
}
