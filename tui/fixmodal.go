package tui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

// fixModal shows the plan of a fix and asks for confirmation. No is the
// default; destructive and critical fixes need the resource name typed.
type fixModal struct {
	closer
	c      *common
	id     int
	v      rules.Violation
	plan   *fix.Plan
	err    error
	yes    bool // the highlighted choice; starts false (No)
	typed  lineInput
	body   scrollText // the calls and the before-state, whole
	width  int
	height int
}

type planMsg struct {
	modal int
	plan  *fix.Plan
	err   error
}

// fixAppliedMsg ends a fix task.
type fixAppliedMsg struct {
	task        int
	violationID string
	rec         *fix.Record
	err         error
}

func newFixModal(c *common, v rules.Violation) *fixModal {
	in := newInput(c, "type the name to confirm: ", "")
	return &fixModal{c: c, id: c.newID(), v: v, typed: in}
}

// Init computes the plan (a dry run) off the UI goroutine.
func (f *fixModal) Init() tea.Cmd {
	b, id, vid := f.c.b, f.id, f.v.ID
	return func() tea.Msg {
		p, err := b.PlanFix(context.Background(), vid)
		return planMsg{id, p, err}
	}
}

// needsTyping reports whether the operator must type the resource name.
func (f *fixModal) needsTyping() bool {
	return f.plan != nil && (f.plan.Destructive || f.plan.Severity == rules.SeverityCritical ||
		f.v.Severity == rules.SeverityCritical)
}

// Capturing is true while the name is being typed.
func (f *fixModal) Capturing() bool { return f.needsTyping() }

// Update walks the confirmation state machine.
func (f *fixModal) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case planMsg:
		if msg.modal == f.id {
			f.plan, f.err = msg.plan, msg.err
			f.layout()
			if f.needsTyping() {
				f.typed.Focus()
			}
		}
	case tea.KeyMsg:
		if msg.Type == tea.KeyEsc {
			return f, f.decline("cancelled in the console")
		}
		if f.plan != nil && f.body.key(msg, f.c.keys) {
			return f, nil
		}
		if f.plan == nil || f.plan.Noop {
			if msg.Type == tea.KeyEnter || msg.String() == "n" || msg.String() == "q" {
				return f, f.close()
			}
			return f, nil
		}
		if f.needsTyping() {
			if msg.Type == tea.KeyEnter {
				if f.typed.Value() == f.plan.AssetName {
					return f, f.apply()
				}
				return f, toast(false, "name does not match: fix not applied")
			}
			f.typed.Update(msg)
			return f, nil
		}
		switch yesNo(msg.String(), &f.yes) {
		case answerYes:
			return f, f.apply()
		case answerNo:
			return f, f.decline("declined in the console")
		}
	}
	return f, nil
}

// apply closes the dialog and runs the fix as a background task.
func (f *fixModal) apply() tea.Cmd {
	b, plan, vid := f.c.b, f.plan, f.v.ID
	task := f.c.newID()
	run := func() tea.Msg {
		rec, err := b.ApplyFix(context.Background(), plan)
		return fixAppliedMsg{task: task, violationID: vid, rec: rec, err: err}
	}
	return tea.Sequence(f.close(), cmdOf(taskStartMsg{id: task, label: "fixing " + text(plan.AssetName)}), run)
}

// decline closes the dialog and, when a plan was shown, audits the attempt
// as refused with the reason — the same record the CLI's "No" writes.
func (f *fixModal) decline(reason string) tea.Cmd {
	if f.plan == nil || f.plan.Noop {
		return f.close()
	}
	b, plan := f.c.b, f.plan
	audit := func() tea.Msg {
		if err := b.DeclineFix(context.Background(), plan, reason); err != nil {
			return toastMsg{ok: false, text: "fix not applied, and its audit failed: " + err.Error()}
		}
		return toastMsg{ok: true, text: "fix not applied (declined, audited)"}
	}
	return tea.Sequence(f.close(), audit)
}

// SetSize fits the component to its box.
func (f *fixModal) SetSize(w, h int) {
	f.width, f.height = w, h
	f.layout()
}

// modalWidth is the text width of the fix and undo dialogs.
func modalWidth(w int) int { return min(w-8, 90) }

// layout fits the plan's calls and before-state to the dialog: the rest of
// the dialog (title, asset, action, change, a note, the answer and the
// blank lines) takes 9 rows, the console's header and footer 4, the
// border 2.
func (f *fixModal) layout() {
	if f.plan == nil {
		return
	}
	f.body.set(planLines(f.c.st, f.plan, modalWidth(f.width)), f.height-15)
}

// ShortHelp lists the footer key hints.
func (f *fixModal) ShortHelp() []key.Binding {
	switch {
	case f.err != nil || f.plan == nil:
		return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close"))}
	case f.plan.Noop:
		return []key.Binding{key.NewBinding(key.WithKeys("enter", "esc"), key.WithHelp("enter/esc", "close"))}
	case f.needsTyping():
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply if the name matches")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		}
	}
	return []key.Binding{
		key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "apply")),
		key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel")),
		key.NewBinding(key.WithKeys("tab"), key.WithHelp("←/→", "choose")),
	}
}

// FullHelp lists every binding for the help overlay.
func (f *fixModal) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }

// View draws the component.
func (f *fixModal) View() string {
	st := f.c.st
	w := modalWidth(f.width)
	lines := []string{st.Title.Render("Fix " + text(f.v.PolicyID))}
	switch {
	case f.err != nil:
		for _, l := range wrap("cannot plan this fix: "+text(f.err.Error()), w) {
			lines = append(lines, st.Bad.Render(l))
		}
		lines = append(lines, "", "esc closes")
	case f.plan == nil:
		lines = append(lines, st.Subtle.Render("planning (dry run)…"))
	case f.plan.Noop:
		lines = append(lines, st.Good.Render("already compliant: nothing to do"), "", "enter closes")
	default:
		p := f.plan
		lines = append(lines,
			"asset   "+text(p.AssetName)+st.Subtle.Render("  "+text(p.Account)+" "+text(p.Region)),
			"action  "+text(p.Action),
			"change  "+text(p.Summary))
		if p.Destructive {
			lines = append(lines, st.Danger.Render("DESTRUCTIVE: this cannot be undone"))
		} else if p.Undoable {
			lines = append(lines, st.Subtle.Render("undoable"))
		}
		lines = append(lines, "")
		var foot []string
		if f.needsTyping() {
			foot = []string{st.Warn.Render("type " + text(p.AssetName) + " and press enter to apply"), f.typed.View()}
		} else {
			foot = []string{"Apply this fix?  " + st.Choice("No", !f.yes) + "  " + st.Choice("Yes", f.yes)}
		}
		lines = append(append(lines, f.body.view(st)...), "")
		lines = append(lines, foot...)
		for i := range lines {
			lines[i] = fit(lines[i], w)
		}
		return st.Modal.Render(strings.Join(lines, "\n"))
	}
	for i := range lines {
		lines[i] = fit(lines[i], w)
	}
	return st.Modal.Render(strings.Join(lines, "\n"))
}

// planLines are a plan's API calls and before-state, whole.
func planLines(st *Styles, p *fix.Plan, w int) []string {
	lines := []string{st.ColHeader.Render("calls")}
	for _, c := range p.Calls {
		lines = append(lines, "  "+text(c.Service+":"+c.Op))
		lines = append(lines, jsonLines(c.Params, "    ", w-4)...)
	}
	lines = append(lines, "", st.ColHeader.Render("before"))
	return append(lines, stateLines(p.Before, w-4)...)
}
