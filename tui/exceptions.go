package tui

import (
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// exceptionsPage lists exceptions, active ones expiring soonest first, with
// what each covers (the asset, or a sticky exception's criteria); enter opens
// an individual exception's asset; x revokes (confirmed).
type exceptionsPage struct {
	base
	items  []rules.Exception
	covers []exceptionCover
	tbl    *table
}

// exceptionCover is what one exception applies to.
type exceptionCover struct {
	assetID string // individual exceptions: the violation's asset
	text    string // asset name or criteria
}

type exceptionsData struct {
	items  []rules.Exception
	covers []exceptionCover
}

// coverOf names what an exception covers; individual ones read their
// violation (a missing violation is shown, not fatal).
func coverOf(b Backend, e *rules.Exception) exceptionCover {
	if e.Kind == rules.ExceptionSticky || e.ViolationID == "" {
		if e.Criteria == nil {
			return exceptionCover{text: "every asset"}
		}
		return exceptionCover{text: groups.Describe(*e.Criteria)}
	}
	v, err := b.Violation(e.ViolationID)
	if err != nil || v == nil {
		return exceptionCover{text: "violation " + e.ViolationID}
	}
	return exceptionCover{assetID: v.AssetID, text: v.AssetName}
}

func newExceptionsPage(c *common) *exceptionsPage {
	p := &exceptionsPage{base: newBase(c)}
	p.tbl = newTable(c, []column{{title: "Expires", width: 10}, {title: "State", width: 8},
		{title: "Kind", width: 10}, {title: "Policies", width: 16, flex: true}, {title: "Covers", width: 16, flex: true},
		{title: "Reason", width: 16, flex: true},
		{title: "Author", width: 10}})
	p.tbl.key = func(i int) string { return p.items[i].ID }
	p.tbl.empty = "no exceptions"
	return p
}

// Title is the breadcrumb of the page.
func (p *exceptionsPage) Title() string { return "Exceptions" }

// Init starts the first load.
func (p *exceptionsPage) Init() tea.Cmd {
	b, now := p.c.b, p.c.now()
	return p.load(func() (any, error) {
		shared, err := b.Exceptions()
		if err != nil {
			return nil, err
		}
		xs := append([]rules.Exception(nil), shared...)
		sortExceptions(xs, now)
		covers := make([]exceptionCover, len(xs))
		for i := range xs {
			covers[i] = coverOf(b, &xs[i])
		}
		return exceptionsData{xs, covers}, nil
	})
}

// sortExceptions orders active exceptions first, soonest to expire first
// (never-expiring ones last among them), then ended ones.
func sortExceptions(xs []rules.Exception, now time.Time) {
	sort.SliceStable(xs, func(i, j int) bool {
		ai, aj := xs[i].Active(now), xs[j].Active(now)
		if ai != aj {
			return ai
		}
		ei, ej := xs[i].Expires, xs[j].Expires
		if ei.IsZero() != ej.IsZero() {
			return ej.IsZero()
		}
		return ei.Before(ej)
	})
}

// exceptionState is active, expired or revoked.
func exceptionState(e *rules.Exception, now time.Time) string {
	switch {
	case e.RevokedAt != nil:
		return "revoked"
	case !e.Active(now):
		return "expired"
	}
	return "active"
}

// expiryDate is the day an exception ends, or "never".
func expiryDate(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2006-01-02")
}

// Update handles results and keys.
func (p *exceptionsPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if d, ok := p.accept(msg); ok {
		data := d.(exceptionsData)
		p.items, p.covers = data.items, data.covers
		xs, cs := p.items, p.covers
		p.tbl.SetRows(len(xs), func(i int) []string {
			e := &xs[i]
			return []string{expiryDate(e.Expires), exceptionState(e, p.c.now()), e.Kind,
				strings.Join(e.PolicyIDs, ","), cs[i].text, e.Reason, e.Author}
		})
		return p, nil
	}
	switch msg := msg.(type) {
	case groupChangedMsg, refreshMsg:
		return p, p.Init()
	case tea.KeyMsg:
		if used, cmd := p.tbl.Update(msg); used {
			return p, cmd
		}
		if i := p.tbl.Selected(); i >= 0 && key.Matches(msg, p.c.keys.Open) {
			if id := p.covers[i].assetID; id != "" {
				return p, push(newAssetPage(p.c, id))
			}
			return p, toast(false, "a sticky exception covers every asset its criteria match")
		}
		if key.Matches(msg, p.c.keys.Revoke) {
			i := p.tbl.Selected()
			if i < 0 || exceptionState(&p.items[i], p.c.now()) != "active" {
				return p, toast(false, "only an active exception can be revoked")
			}
			b, id := p.c.b, p.items[i].ID
			e := &p.items[i]
			q := "Revoke the " + e.Kind + " exception of " + text(strings.Join(e.PolicyIDs, ", ")) + " on " +
				text(p.covers[i].text) + "? Its violations re-open at once."
			return p, cmdOf(modalMsg{newConfirm(p.c, q, actionCmd("exception revoked",
				func() error { return b.RevokeException(id) }))})
		}
	}
	return p, nil
}

// Capturing reports whether typed text goes to an input.
func (p *exceptionsPage) Capturing() bool { return p.tbl.Capturing() }

// Esc clears an applied filter before esc closes the page.
func (p *exceptionsPage) Esc() bool { return p.tbl.ClearFilter() }

// SetSize fits the component to its box.
func (p *exceptionsPage) SetSize(w, h int) {
	p.base.SetSize(w, h)
	p.tbl.SetSize(w, h-1)
}

// ShortHelp lists the footer key hints.
func (p *exceptionsPage) ShortHelp() []key.Binding {
	k := p.c.keys
	if i := p.tbl.Selected(); i >= 0 && p.covers[i].assetID == "" { // enter opens no asset of a sticky one
		return []key.Binding{k.Revoke, k.Filter}
	}
	return []key.Binding{k.Open, k.Revoke, k.Filter}
}

// FullHelp lists every binding for the help overlay.
func (p *exceptionsPage) FullHelp() [][]key.Binding {
	return p.fullList(p.c.keys.Open, p.c.keys.Revoke)
}

// View draws the component.
func (p *exceptionsPage) View() string {
	head := p.c.st.Subtle.Render(itoa(p.tbl.Len()) + " exceptions, expiring soonest first")
	if s := p.status(); s != "" {
		head = s
	}
	return head + "\n" + p.tbl.View()
}
