package tui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/fix"
)

// undoDialog reverses an applied fix (u on the fixes page and the asset's
// Fixes tab) through the backend's UndoFix, the same cycle undo as `vigil
// fix undo`: its refusal rules (not applied, already undone, not undoable,
// drifted) are the cycle's, shown here as they come. It shows the record's
// calls and the state it restores whole, and No is the default; a decline
// is audited like the CLI's.
type undoDialog struct {
	closer
	c      *common
	id     int
	recID  string
	rec    *fix.Record
	err    error
	yes    bool
	body   scrollText
	width  int
	height int
}

type undoCheckMsg struct {
	dialog int
	rec    *fix.Record
	err    error
}

// undoneMsg ends an undo task.
type undoneMsg struct {
	task int
	rec  *fix.Record
	err  error
}

func newUndoDialog(c *common, recordID string) *undoDialog {
	return &undoDialog{c: c, id: c.newID(), recID: recordID}
}

// Init asks the backend whether the record can be undone.
func (d *undoDialog) Init() tea.Cmd {
	b, id, rid := d.c.b, d.id, d.recID
	return func() tea.Msg {
		r, err := b.CheckUndo(rid)
		return undoCheckMsg{dialog: id, rec: r, err: err}
	}
}

// Update walks the confirmation.
func (d *undoDialog) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case undoCheckMsg:
		if msg.dialog == d.id {
			d.rec, d.err = msg.rec, msg.err
			d.layout()
		}
	case tea.KeyMsg:
		ready := d.rec != nil && d.err == nil
		if msg.Type == tea.KeyEsc || (!ready && (msg.Type == tea.KeyEnter || msg.String() == "q")) {
			return d, d.decline()
		}
		if !ready {
			return d, nil
		}
		if d.body.key(msg, d.c.keys) {
			return d, nil
		}
		switch yesNo(msg.String(), &d.yes) {
		case answerYes:
			return d, d.undo()
		case answerNo:
			return d, d.decline()
		}
	}
	return d, nil
}

// undo closes the dialog and runs the undo as a background task.
func (d *undoDialog) undo() tea.Cmd {
	b, rid, task := d.c.b, d.recID, d.c.newID()
	run := func() tea.Msg {
		r, err := b.UndoFix(context.Background(), rid)
		return undoneMsg{task: task, rec: r, err: err}
	}
	return tea.Sequence(d.close(), cmdOf(taskStartMsg{id: task, label: "undoing " + text(rid)}), run)
}

// decline closes the dialog; when the undo was offered, the decline is
// audited as the CLI's "No" is.
func (d *undoDialog) decline() tea.Cmd {
	if d.rec == nil || d.err != nil {
		return d.close()
	}
	b, rid := d.c.b, d.recID
	audit := func() tea.Msg {
		if err := b.DeclineUndo(context.Background(), rid, "declined in the console"); err != nil {
			return toastMsg{ok: false, text: "not undone, and its audit failed: " + err.Error()}
		}
		return toastMsg{ok: true, text: "not undone (declined, audited)"}
	}
	return tea.Sequence(d.close(), audit)
}

// SetSize fits the component to its box.
func (d *undoDialog) SetSize(w, h int) {
	d.width, d.height = w, h
	d.layout()
}

// layout fits the record's calls and the state it restores (see fixModal.layout).
func (d *undoDialog) layout() {
	if d.rec == nil {
		return
	}
	st, w := d.c.st, modalWidth(d.width)
	lines := []string{st.ColHeader.Render("calls the fix made")}
	for _, c := range d.rec.Calls {
		lines = append(lines, "  "+text(c.Service+":"+c.Op))
		lines = append(lines, jsonLines(c.Params, "    ", w-4)...)
	}
	lines = append(lines, "", st.ColHeader.Render("restores (the state before the fix)"))
	lines = append(lines, stateLines(d.rec.Before, w-4)...)
	d.body.set(lines, d.height-15)
}

// ShortHelp lists the footer key hints.
func (d *undoDialog) ShortHelp() []key.Binding {
	if d.rec == nil || d.err != nil {
		return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close"))}
	}
	return []key.Binding{
		key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "undo")),
		key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel")),
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "scroll")),
	}
}

// FullHelp lists every binding for the help overlay.
func (d *undoDialog) FullHelp() [][]key.Binding { return [][]key.Binding{d.ShortHelp()} }

// View draws the component.
func (d *undoDialog) View() string {
	st := d.c.st
	w := modalWidth(d.width)
	lines := []string{st.Title.Render("Undo fix " + text(d.recID))}
	switch {
	case d.err != nil:
		for _, l := range wrap("cannot undo: "+text(d.err.Error()), w) {
			lines = append(lines, st.Bad.Render(l))
		}
		lines = append(lines, "", "esc closes")
	case d.rec == nil:
		lines = append(lines, st.Subtle.Render("checking the record…"))
	default:
		r := d.rec
		lines = append(lines,
			"asset   "+text(r.AssetID),
			"action  "+text(r.Action)+st.Subtle.Render("  applied by "+text(r.By)+" at "+shortTime(r.At)),
			"")
		lines = append(append(lines, d.body.view(st)...), "",
			"Undo this fix?  "+st.Choice("No", !d.yes)+"  "+st.Choice("Yes", d.yes))
	}
	for i := range lines {
		lines[i] = fit(lines[i], w)
	}
	return st.Modal.Render(strings.Join(lines, "\n"))
}
