package tui

import (
	"context"
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/rules"
)

// bulkDialog fixes or exempts the violations selected in a list. It shows
// the impact first (how many, how many critical/high), applies the bulk
// cap of `vigil fix --max` to fixes (cycle.BulkCap), and asks for the
// count typed when the impact needs it (cycle.Impact.NeedsTypedConfirm);
// otherwise No is the default.
type bulkDialog struct {
	closer
	c       *common
	fix     bool // fix the selection; else add an exception to each
	vs      []rules.Violation
	skipped int // selected but not open: left out
	capped  int // left out by the bulk cap
	im      cycle.Impact
	reason  lineInput
	expiry  lineInput
	field   int  // exception form: 0 reason, 1 expiry
	typing  bool // the typed confirmation has the keyboard
	typed   typedConfirm
	yes     bool
	err     string
	width   int
}

// bulkDoneMsg ends a bulk action; the list clears its selection.
type bulkDoneMsg struct {
	task int
	ok   bool
	text string
}

func newBulkDialog(c *common, fix bool, selected []rules.Violation) *bulkDialog {
	d := &bulkDialog{c: c, fix: fix,
		reason: newInput(c, "reason  ", "why these are accepted"),
		expiry: newInput(c, "expires ", rules.ExpiryHelp)}
	for _, v := range selected {
		if v.Status != rules.StatusOpen {
			d.skipped++
			continue
		}
		d.vs = append(d.vs, v)
	}
	if fix {
		keep, _ := cycle.BulkCap(len(d.vs), cycle.DefaultBulkMax)
		d.capped = len(d.vs) - keep
		d.vs = d.vs[:keep]
	}
	d.im = cycle.ImpactOf(d.vs)
	d.expiry.SetValue("30d")
	d.reason.Focus()
	if fix && d.im.NeedsTypedConfirm() {
		d.startTyping()
	}
	return d
}

func (d *bulkDialog) startTyping() {
	d.typing = true
	d.reason.Blur()
	d.expiry.Blur()
	d.typed = newTypedConfirm(d.c, d.im)
}

// Init does nothing: the impact is counted from the selection.
func (d *bulkDialog) Init() tea.Cmd { return nil }

// Capturing is true while a field takes typed text.
func (d *bulkDialog) Capturing() bool { return !d.fix || d.typing }

// Update edits the form and walks the confirmation.
func (d *bulkDialog) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return d, nil
	}
	if k.Type == tea.KeyEsc {
		return d, d.close()
	}
	if len(d.vs) == 0 {
		if k.Type == tea.KeyEnter {
			return d, d.close()
		}
		return d, nil
	}
	if d.typing {
		if k.Type == tea.KeyEnter {
			if d.typed.ok() {
				return d, d.run()
			}
			d.err = "type " + d.typed.want + " (the number of violations) to confirm"
			return d, nil
		}
		d.typed.in.Update(k)
		return d, nil
	}
	if !d.fix {
		return d, d.formKey(k)
	}
	switch yesNo(k.String(), &d.yes) {
	case answerYes:
		return d, d.run()
	case answerNo:
		return d, d.close()
	}
	return d, nil
}

// formKey edits the exception's reason and expiry; enter checks them and
// saves, or asks for the typed confirmation first.
func (d *bulkDialog) formKey(k tea.KeyMsg) tea.Cmd {
	switch k.Type {
	case tea.KeyTab, tea.KeyShiftTab, tea.KeyDown, tea.KeyUp:
		d.field = 1 - d.field
		d.reason.Blur()
		d.expiry.Blur()
		if d.field == 0 {
			d.reason.Focus()
		} else {
			d.expiry.Focus()
		}
		return nil
	case tea.KeyEnter:
		if _, err := d.exception(rules.Violation{}); err != nil {
			d.err = err.Error()
			return nil
		}
		d.err = ""
		if d.im.NeedsTypedConfirm() {
			d.startTyping()
			return nil
		}
		return d.run()
	}
	if d.field == 0 {
		d.reason.Update(k)
	} else {
		d.expiry.Update(k)
	}
	return nil
}

// exception is the individual exception the form makes for v.
func (d *bulkDialog) exception(v rules.Violation) (rules.Exception, error) {
	reason := strings.TrimSpace(d.reason.Value())
	if reason == "" {
		return rules.Exception{}, errors.New("a reason is required")
	}
	exp, err := rules.ParseExpiry(d.expiry.Value(), d.c.now())
	if err != nil {
		return rules.Exception{}, err
	}
	return rules.Exception{Kind: rules.ExceptionIndividual, ViolationID: v.ID, PolicyIDs: []string{v.PolicyID},
		Reason: reason, Expires: exp}, nil
}

// run closes the dialog and carries the action out as a background task.
func (d *bulkDialog) run() tea.Cmd {
	b, vs, task := d.c.b, d.vs, d.c.newID()
	label := "fixing " + plural(len(vs), "violation")
	var work func() tea.Msg
	if d.fix {
		work = func() tea.Msg { return bulkFix(b, task, vs) }
	} else {
		label = "exempting " + plural(len(vs), "violation")
		excs := make([]rules.Exception, len(vs))
		for i, v := range vs {
			excs[i], _ = d.exception(v) // checked when enter was pressed
		}
		work = func() tea.Msg { return bulkExempt(b, task, excs) }
	}
	return tea.Sequence(d.close(), cmdOf(taskStartMsg{id: task, label: label}), work)
}

// bulkFix plans and applies each fix in turn; one failure does not stop the rest.
func bulkFix(b Backend, task int, vs []rules.Violation) tea.Msg {
	ctx := context.Background()
	applied, failed, noop := 0, 0, 0
	for _, v := range vs {
		p, err := b.PlanFix(ctx, v.ID)
		if err == nil && p.Noop {
			noop++
			continue
		}
		if err == nil {
			_, err = b.ApplyFix(ctx, p)
		}
		if err != nil {
			failed++
			continue
		}
		applied++
	}
	s := itoa(applied) + " fixed, " + itoa(failed) + " failed"
	if noop > 0 {
		s += ", " + itoa(noop) + " already compliant"
	}
	if failed > 0 {
		s += " (vigil fixes lists why)"
	}
	return bulkDoneMsg{task: task, ok: failed == 0, text: s}
}

// bulkExempt adds each exception in turn.
func bulkExempt(b Backend, task int, excs []rules.Exception) tea.Msg {
	added, failed, last := 0, 0, ""
	for _, e := range excs {
		if _, err := b.AddException(e); err != nil {
			failed++
			last = err.Error()
			continue
		}
		added++
	}
	s := itoa(added) + " exceptions added"
	if failed > 0 {
		s += ", " + itoa(failed) + " failed: " + last
	}
	return bulkDoneMsg{task: task, ok: failed == 0, text: s}
}

// SetSize fits the component to its box.
func (d *bulkDialog) SetSize(w, _ int) { d.width = w }

// ShortHelp lists the footer key hints.
func (d *bulkDialog) ShortHelp() []key.Binding {
	esc := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
	switch {
	case len(d.vs) == 0:
		return []key.Binding{esc}
	case d.typing:
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm if the count matches")), esc}
	case !d.fix:
		return []key.Binding{key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")), esc}
	}
	return []key.Binding{key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "apply")),
		key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel"))}
}

// FullHelp lists every binding for the help overlay.
func (d *bulkDialog) FullHelp() [][]key.Binding { return [][]key.Binding{d.ShortHelp()} }

// View draws the component.
func (d *bulkDialog) View() string {
	st := d.c.st
	w := min(d.width-8, 90)
	title, verb := "Exception for the selection", "exempts"
	if d.fix {
		title, verb = "Fix the selection", "fixes"
	}
	lines := []string{st.Title.Render(title)}
	if len(d.vs) == 0 {
		lines = append(lines, st.Bad.Render("none of the "+plural(d.skipped, "selected violation")+" is open"), "", "esc closes")
		return d.render(lines, w)
	}
	lines = append(lines, impactLine(st, verb, d.im))
	if d.capped > 0 {
		lines = append(lines, st.Warn.Render(itoa(d.capped)+" more selected: at most "+itoa(cycle.DefaultBulkMax)+
			" fixes run at once (as vigil fix --max); select again for the rest"))
	}
	if d.skipped > 0 {
		lines = append(lines, st.Subtle.Render(plural(d.skipped, "selected violation")+" not open: left out"))
	}
	for i, v := range d.vs {
		if i == 5 {
			lines = append(lines, st.Subtle.Render("  and "+itoa(len(d.vs)-5)+" more"))
			break
		}
		lines = append(lines, "  "+text(v.Severity)+"  "+text(v.PolicyID)+"  "+text(v.AssetName))
	}
	lines = append(lines, "")
	if !d.fix {
		reason, expiry := "  "+d.reason.View(), "  "+d.expiry.View()
		if !d.typing && d.field == 0 {
			reason = "> " + d.reason.View()
		} else if !d.typing {
			expiry = "> " + d.expiry.View()
		}
		lines = append(lines, reason, expiry, "")
	}
	switch {
	case d.typing:
		lines = append(lines, st.Warn.Render("this covers critical violations or more than "+itoa(cycle.TypedConfirmAbove)),
			d.typed.in.View())
	case d.fix:
		lines = append(lines, "Apply these fixes?  "+st.Choice("No", !d.yes)+"  "+st.Choice("Yes", d.yes))
	}
	if d.err != "" {
		lines = append(lines, st.Bad.Render("✗ "+text(d.err)))
	}
	return d.render(lines, w)
}

func (d *bulkDialog) render(lines []string, w int) string {
	for i := range lines {
		lines[i] = fit(lines[i], w)
	}
	return d.c.st.Modal.Render(strings.Join(lines, "\n"))
}
