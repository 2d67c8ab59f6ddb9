package tui

import (
	"fmt"
	"strings"
	"time"

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

// activeExceptions counts the exceptions that apply now.
func (d *policyData) activeExceptions(now time.Time) int {
	n := 0
	for i := range d.exceptions {
		if d.exceptions[i].Active(now) {
			n++
		}
	}
	return n
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
		{title: "Account", width: 12}, {title: "Region", width: 14}, {title: "Opened", width: 16}})
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
		p.SetSize(p.width, p.height)
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

// Esc clears an applied filter before esc closes the page.
func (p *policyPage) Esc() bool { return p.tbl.ClearFilter() }

// SetSize fits the component to its box.
func (p *policyPage) SetSize(w, h int) {
	p.base.SetSize(w, h)
	p.tbl.SetSize(w, max(3, h-policyHeadLines-len(p.exceptionLines())))
}

// policyHeadLines is the height of the header and trend above the lists.
const policyHeadLines = 11

// maxPolicyExceptions is how many exceptions the page lists before "more".
const maxPolicyExceptions = 4

// exceptionLines lists the policy's exceptions, active first and soonest to
// expire first, then a pointer to the exceptions page for the rest.
func (p *policyPage) exceptionLines() []string {
	if p.data == nil || len(p.data.exceptions) == 0 {
		return nil
	}
	st, now := p.c.st, p.c.now()
	xs := append([]rules.Exception(nil), p.data.exceptions...)
	sortExceptions(xs, now)
	out := []string{st.ColHeader.Render(fit("  Exceptions ("+itoa(len(xs))+")", p.width))}
	for i, e := range xs {
		if i == maxPolicyExceptions {
			out = append(out, st.Subtle.Render(fit("  … "+itoa(len(xs)-i)+" more  (:exceptions lists them all)", p.width)))
			break
		}
		scope := "violation " + e.ViolationID
		for _, v := range p.data.failing {
			if v.ID == e.ViolationID {
				scope = v.AssetName
				break
			}
		}
		if e.Kind == rules.ExceptionSticky {
			scope = "sticky"
			if e.Criteria != nil && e.Criteria.Name != "" {
				scope += " " + e.Criteria.Name
			}
		}
		line := "  " + fmt.Sprintf("%-8s", exceptionState(&e, now)) + " until " + expiryDate(e.Expires) + "  " +
			scope + "  " + e.Author + "  " + e.Reason
		out = append(out, fit(text(line), p.width))
	}
	return out
}

// ShortHelp lists the footer key hints.
func (p *policyPage) ShortHelp() []key.Binding {
	k := p.c.keys
	if p.data != nil && p.data.pol.Fix == "" { // a never works here: not offered
		return []key.Binding{k.Open, k.Disable, k.Filter}
	}
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
	frameworks := strings.Join(pol.Frameworks, ", ")
	if frameworks == "" {
		frameworks = "none mapped"
	}
	head := []string{
		st.Title.Render(text(pol.Name)) + "  " + st.Severity(pol.Severity) + "  " + text(pol.Category) + "  " + state,
		fit(text(pol.Description), p.width),
		st.Subtle.Render("remediation ") + fit(text(pol.Remediation), p.width-len("remediation ")),
		st.Subtle.Render("frameworks  ") + text(frameworks) +
			st.Subtle.Render("   fix ") + text(fixa) + st.Subtle.Render("   autofix ") + auto,
		st.Subtle.Render("compliance  ") + compliance(st, pol.Disabled, d.score.Compliance) +
			fmt.Sprintf("  %d evaluated, %d open, %d exempt, %d exceptions", d.score.Evaluated, d.score.Open, d.score.Exempt, d.activeExceptions(p.c.now())) +
			errorsNote(st, d.score.Errors),
		"",
	}
	chart := trendChart(d.trend, p.width, 4)
	head = append(head, strings.Split(chart, "\n")...)
	for len(head) < policyHeadLines {
		head = append(head, "")
	}
	out := clip(strings.Join(head, "\n"), p.width, policyHeadLines) + "\n"
	if ex := p.exceptionLines(); len(ex) > 0 {
		out += strings.Join(ex, "\n") + "\n"
	}
	return out + p.tbl.View()
}

// errorsNote tells how many assets the check could not judge in the last
// evaluation (neither pass nor fail; see `vigil policies`), or nothing.
func errorsNote(st *Styles, n int) string {
	if n == 0 {
		return ""
	}
	return st.Bad.Render(fmt.Sprintf(", %d could not be evaluated", n))
}
