package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

// policyData is one policy with its trend, failing assets and exceptions.
type policyData struct {
	pol        rules.Policy
	score      rules.PolicyScore
	trend      []int
	failing    []rules.Violation
	exceptions []rules.Exception
}

// policyPage shows a policy: description, remediation, framework mapping,
// trend, failing assets (enter opens one) and exceptions; d enables or
// disables and a toggles autofix, both confirmed.
type policyPage struct {
	base
	policyID string
	data     *policyData
	tbl      *table
}

func newPolicyPage(c *common, id string) *policyPage {
	p := &policyPage{base: newBase(c), policyID: id}
	p.tbl = newTable(c, []column{{title: "Asset", width: 20, flex: true}, {title: "Status", width: 7},
		{title: "Account", width: 12}, {title: "Region", width: 10}, {title: "Opened", width: 16}})
	p.tbl.key = func(i int) string { return p.data.failing[i].ID }
	return p
}

// Title is the breadcrumb of the page.
func (p *policyPage) Title() string { return p.policyID }

// Init starts the first load.
func (p *policyPage) Init() tea.Cmd {
	b, group, domain, id, since := p.c.b, p.c.group, p.c.domain, p.policyID, p.c.now().AddDate(0, 0, -90)
	return p.load(func() (any, error) {
		d := &policyData{}
		found := false
		for _, pol := range b.Policies() {
			if pol.ID == id {
				d.pol, found = pol, true
			}
		}
		if !found {
			return nil, fmt.Errorf("policy %s is not loaded", id)
		}
		sc, err := b.Scores(group, domain)
		if err != nil {
			return nil, err
		}
		d.score = rules.PolicyScore{Compliance: 100}
		for _, s := range sc.Policies {
			if s.PolicyID == id {
				d.score = s
			}
		}
		tr, err := b.Trend(group, domain, since)
		if err != nil {
			return nil, err
		}
		for _, pt := range tr {
			if v, ok := pt.Policies[id]; ok {
				d.trend = append(d.trend, v)
			}
		}
		vs, err := b.Violations(group, db.ViolationFilter{PolicyID: id,
			Status: []string{rules.StatusOpen, rules.StatusExempt}})
		if err != nil {
			return nil, err
		}
		d.failing = append([]rules.Violation(nil), vs...)
		sortViolations(d.failing)
		exs, err := b.Exceptions()
		if err != nil {
			return nil, err
		}
		for _, e := range exs {
			for _, pid := range e.PolicyIDs {
				if pid == id {
					d.exceptions = append(d.exceptions, e)
					break
				}
			}
		}
		return d, nil
	})
}

// Update handles results and keys.
func (p *policyPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if d, ok := p.accept(msg); ok {
		p.data = d.(*policyData)
		f := p.data.failing
		p.tbl.SetRows(len(f), func(i int) []string {
			v := &f[i]
			return []string{v.AssetName, v.Status, v.Account, v.Region, shortTime(v.OpenedAt)}
		})
		return p, nil
	}
	switch msg := msg.(type) {
	case groupChangedMsg, refreshMsg:
		return p, p.Init()
	case tea.KeyMsg:
		if p.data == nil {
			return p, nil
		}
		if used, cmd := p.tbl.Update(msg); used {
			return p, cmd
		}
		k, b, pol := p.c.keys, p.c.b, p.data.pol
		switch {
		case key.Matches(msg, k.Open):
			if i := p.tbl.Selected(); i >= 0 {
				return p, push(newAssetPage(p.c, p.data.failing[i].AssetID))
			}
		case key.Matches(msg, k.Disable):
			verb := "Disable"
			if pol.Disabled {
				verb = "Enable"
			}
			q := verb + " policy " + pol.ID + "? Its violations are re-judged at once."
			return p, cmdOf(modalMsg{newConfirm(p.c, q, actionCmd("policy "+strings.ToLower(verb)+"d",
				func() error { return b.SetPolicyDisabled(pol.ID, !pol.Disabled) }))})
		case key.Matches(msg, k.Autofix):
			if pol.Fix == "" {
				return p, toast(false, "this policy has no fix action")
			}
			state := "on"
			if pol.Autofix {
				state = "off"
			}
			q := "Turn unattended autofix " + state + " for " + pol.ID + "?"
			return p, cmdOf(modalMsg{newConfirm(p.c, q, actionCmd("autofix "+state,
				func() error { return b.SetPolicyAutofix(pol.ID, !pol.Autofix) }))})
		}
	}
	return p, nil
}

// Capturing reports whether typed text goes to an input.
func (p *policyPage) Capturing() bool { return p.tbl.Capturing() }

// SetSize fits the component to its box.
func (p *policyPage) SetSize(w, h int) {
	p.base.SetSize(w, h)
	p.tbl.SetSize(w, max(3, h-12))
}

// ShortHelp lists the footer key hints.
func (p *policyPage) ShortHelp() []key.Binding {
	k := p.c.keys
	return []key.Binding{k.Open, k.Disable, k.Autofix, k.Filter}
}

// FullHelp lists every binding for the help overlay.
func (p *policyPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return p.fullList(k.Disable, k.Autofix)
}

// View draws the component.
func (p *policyPage) View() string {
	if p.data == nil {
		return p.status()
	}
	st, d := p.c.st, p.data
	pol := d.pol
	state := st.Good.Render("enabled")
	if pol.Disabled {
		state = st.Warn.Render("disabled")
	}
	auto := "off"
	if pol.Autofix {
		auto = "on"
	}
	fixa := pol.Fix
	if fixa == "" {
		fixa = "none"
	}
	head := []string{
		st.Title.Render(text(pol.Name)) + "  " + st.Severity(pol.Severity) + "  " + text(pol.Category) + "  " + state,
		fit(text(pol.Description), p.width),
		st.Subtle.Render("remediation ") + text(pol.Remediation),
		st.Subtle.Render("frameworks  ") + text(strings.Join(pol.Frameworks, ", ")) +
			st.Subtle.Render("   fix ") + text(fixa) + st.Subtle.Render("   autofix ") + auto,
		st.Subtle.Render("compliance  ") + st.Percent(d.score.Compliance) +
			fmt.Sprintf("  %d evaluated, %d open, %d exempt, %d exceptions", d.score.Evaluated, d.score.Open, d.score.Exempt, len(d.exceptions)),
		"",
	}
	chart := trendChart(d.trend, p.width, 4)
	head = append(head, strings.Split(chart, "\n")...)
	for len(head) < 11 {
		head = append(head, "")
	}
	return clip(strings.Join(head, "\n"), p.width, 11) + "\n" + p.tbl.View()
}
