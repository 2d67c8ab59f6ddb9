package tui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// exceptionForm adds an exception to a violation: a reason, an expiry
// ("30d", "2w", "12h" or a date) and individual or sticky; sticky criteria
// are prefilled from the asset (type + account + one tag).
type exceptionForm struct {
	closer
	c      *common
	id     int
	v      rules.Violation
	reason lineInput
	expiry lineInput
	sticky bool
	field  int // 0 reason, 1 expiry, 2 kind
	tagKey string
	tagVal string
	err    string
	width  int
	// impact is what the sticky exception would exempt now (nil while it
	// is counted); confirming means the typed count has the keyboard.
	impact     *cycle.Impact
	impactErr  error
	impactN    int // which count is current: a toggle or a tag change asks again
	confirming bool
	typed      typedConfirm
}

// excImpactMsg carries a sticky exception's impact back to its form.
type excImpactMsg struct {
	form, n int
	im      cycle.Impact
	err     error
}

type excAssetMsg struct {
	form int
	a    *asset.Asset
}

// exceptionAddedMsg ends the add.
type exceptionAddedMsg struct {
	e   rules.Exception
	err error
}

func newExceptionForm(c *common, v rules.Violation) *exceptionForm {
	f := &exceptionForm{c: c, id: c.newID(), v: v,
		reason: newInput(c, "reason  ", "why this is accepted"),
		expiry: newInput(c, "expires ", rules.ExpiryHelp)}
	f.expiry.SetValue("30d")
	f.reason.Focus()
	return f
}

// Init reads the asset to prefill sticky criteria.
func (f *exceptionForm) Init() tea.Cmd {
	b, id, aid := f.c.b, f.id, f.v.AssetID
	return func() tea.Msg {
		a, err := b.Asset(aid)
		if err != nil {
			return excAssetMsg{form: id}
		}
		return excAssetMsg{form: id, a: a}
	}
}

// Capturing is always true: the form takes typed text.
func (f *exceptionForm) Capturing() bool { return true }

// pickTag prefers the usual ownership tags, else the first by name.
func pickTag(tags map[string]string) (string, string) {
	for _, k := range []string{"Environment", "environment", "env", "Owner", "owner", "Team", "team"} {
		if v, ok := tags[k]; ok {
			return k, v
		}
	}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return "", ""
	}
	return keys[0], tags[keys[0]]
}

// build turns the form into an exception, or explains what is missing.
func (f *exceptionForm) build() (rules.Exception, error) {
	reason := strings.TrimSpace(f.reason.Value())
	if reason == "" {
		return rules.Exception{}, fmt.Errorf("a reason is required")
	}
	exp, err := rules.ParseExpiry(f.expiry.Value(), f.c.now())
	if err != nil {
		return rules.Exception{}, err
	}
	e := rules.Exception{Kind: rules.ExceptionIndividual, ViolationID: f.v.ID,
		PolicyIDs: []string{f.v.PolicyID}, Reason: reason, Expires: exp}
	if f.sticky {
		e.Kind, e.ViolationID = rules.ExceptionSticky, ""
		e.Criteria = f.criteria()
	}
	return e, nil
}

func (f *exceptionForm) criteria() *groups.Group {
	g := &groups.Group{Name: "exception:" + f.v.PolicyID, Types: []string{f.v.AssetType},
		Match: map[string][]string{"account": {f.v.Account}}}
	if f.tagKey != "" {
		g.Match["tags."+f.tagKey] = []string{f.tagVal}
	}
	return g
}

func (f *exceptionForm) focus() {
	f.reason.Blur()
	f.expiry.Blur()
	switch f.field {
	case 0:
		f.reason.Focus()
	case 1:
		f.expiry.Focus()
	}
}

// Update edits fields (tab moves), toggles the kind (space) and submits (enter).
func (f *exceptionForm) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case excAssetMsg:
		if msg.form == f.id && msg.a != nil {
			f.tagKey, f.tagVal = pickTag(msg.a.Tags)
			return f, f.countImpact()
		}
	case excImpactMsg:
		if msg.form == f.id && msg.n == f.impactN {
			f.impact, f.impactErr = &msg.im, msg.err
		}
	case tea.KeyMsg:
		if f.confirming {
			return f, f.confirmKey(msg)
		}
		switch msg.Type {
		case tea.KeyEsc:
			return f, f.close()
		case tea.KeyTab, tea.KeyDown:
			f.field = (f.field + 1) % 3
			f.focus()
			return f, nil
		case tea.KeyShiftTab, tea.KeyUp:
			f.field = (f.field + 2) % 3
			f.focus()
			return f, nil
		case tea.KeyEnter:
			return f, f.submit()
		}
		switch f.field {
		case 0:
			f.reason.Update(msg)
		case 1:
			f.expiry.Update(msg)
		case 2:
			if msg.Type == tea.KeySpace || msg.Type == tea.KeyLeft || msg.Type == tea.KeyRight {
				f.sticky = !f.sticky
				return f, f.countImpact()
			}
		}
	}
	return f, nil
}

// countImpact asks how many open violations the sticky exception would
// exempt now (the preview); an individual one covers its violation only.
func (f *exceptionForm) countImpact() tea.Cmd {
	f.impactN++
	f.impact, f.impactErr = nil, nil
	if !f.sticky {
		return nil
	}
	e := rules.Exception{Kind: rules.ExceptionSticky, PolicyIDs: []string{f.v.PolicyID}, Criteria: f.criteria()}
	b, id, n := f.c.b, f.id, f.impactN
	return func() tea.Msg {
		im, err := b.ExceptionImpact(e)
		return excImpactMsg{form: id, n: n, im: im, err: err}
	}
}

// confirmKey takes the typed count of a sticky exception that covers
// critical violations or more than ten; esc goes back to the form.
func (f *exceptionForm) confirmKey(k tea.KeyMsg) tea.Cmd {
	switch k.Type {
	case tea.KeyEsc:
		f.confirming = false
		f.err = ""
		return nil
	case tea.KeyEnter:
		if !f.typed.ok() {
			f.err = "type " + f.typed.want + " (the number of violations it exempts) to confirm"
			return nil
		}
		return f.save()
	}
	f.typed.in.Update(k)
	return nil
}

// submit checks the form; a sticky exception shows what it covers and,
// when that is critical or more than ten violations, wants the count typed.
func (f *exceptionForm) submit() tea.Cmd {
	if _, err := f.build(); err != nil {
		f.err = err.Error()
		return nil
	}
	if f.sticky {
		switch {
		case f.impactErr != nil:
			f.err = "cannot count what it covers: " + f.impactErr.Error()
			return nil
		case f.impact == nil:
			f.err = "still counting what it covers; press enter again"
			return nil
		case f.impact.NeedsTypedConfirm():
			f.confirming, f.err = true, ""
			f.typed = newTypedConfirm(f.c, *f.impact)
			return nil
		}
	}
	return f.save()
}

// save stores the exception and closes the form.
func (f *exceptionForm) save() tea.Cmd {
	e, err := f.build()
	if err != nil {
		f.err = err.Error()
		return nil
	}
	b := f.c.b
	return tea.Sequence(f.close(), func() tea.Msg {
		saved, err := b.AddException(e)
		return exceptionAddedMsg{saved, err}
	})
}

// SetSize fits the component to its box.
func (f *exceptionForm) SetSize(w, h int) { f.width = w }

// ShortHelp lists the footer key hints.
func (f *exceptionForm) ShortHelp() []key.Binding {
	hs := []key.Binding{key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field"))}
	if f.field == 2 { // space types a space in the text fields
		hs = append(hs, key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "individual/sticky")))
	}
	return append(hs,
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")))
}

// FullHelp lists every binding for the help overlay.
func (f *exceptionForm) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }

// View draws the component.
func (f *exceptionForm) View() string {
	st := f.c.st
	w := min(f.width-8, 80)
	kind := "individual (this violation)"
	if f.sticky {
		kind = "sticky (matching assets, now and later)"
	}
	kindLine := "  kind    " + kind
	if f.field == 2 {
		kindLine = "> " + st.Key.Render("kind    ") + st.Selected.Render(kind) + st.Subtle.Render("  (space toggles)")
	}
	reason, expiry := "  "+f.reason.View(), "  "+f.expiry.View()
	switch f.field {
	case 0:
		reason = "> " + f.reason.View()
	case 1:
		expiry = "> " + f.expiry.View()
	}
	lines := []string{
		st.Title.Render("Exception for " + text(f.v.PolicyID)),
		st.Subtle.Render(text(f.v.AssetName) + "  " + text(f.v.Account) + " " + text(f.v.Region)),
		"", reason, expiry, kindLine,
	}
	if f.sticky {
		g := f.criteria()
		crit := "type " + strings.Join(g.Types, ",") + ", account " + f.v.Account
		if f.tagKey != "" {
			crit += ", tag " + f.tagKey + "=" + f.tagVal
		}
		lines = append(lines, st.Subtle.Render("covers  "+text(crit)))
		switch {
		case f.impactErr != nil:
			lines = append(lines, st.Bad.Render("cannot count what it covers: "+text(f.impactErr.Error())))
		case f.impact == nil:
			lines = append(lines, st.Subtle.Render("counting the open violations it covers…"))
		default:
			lines = append(lines, impactLine(st, "exempts now", *f.impact)+st.Subtle.Render(" (and future matches)"))
		}
	}
	if f.confirming {
		lines = append(lines, "", st.Warn.Render("this covers critical violations or more than "+itoa(cycle.TypedConfirmAbove)+"; esc goes back"),
			f.typed.in.View())
	}
	if f.err != "" {
		lines = append(lines, "", st.Bad.Render("✗ "+text(f.err)))
	}
	for i := range lines {
		lines[i] = fit(lines[i], w)
	}
	return st.Modal.Render(strings.Join(lines, "\n"))
}
