package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// confirmDialog asks a yes/no question; No is the default and enter on No
// (or n, esc) cancels. Yes runs the action's Cmd.
type confirmDialog struct {
	closer
	c        *common
	question string
	yes      bool
	action   tea.Cmd
	width    int
}

func newConfirm(c *common, question string, action tea.Cmd) *confirmDialog {
	return &confirmDialog{c: c, question: question, action: action}
}

// Init starts the first load.
func (d *confirmDialog) Init() tea.Cmd { return nil }

// Update chooses and answers.
func (d *confirmDialog) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return d, nil
	}
	if k.String() == "esc" {
		return d, d.close()
	}
	switch yesNo(k.String(), &d.yes) {
	case answerYes:
		return d, tea.Sequence(d.close(), d.action)
	case answerNo:
		return d, d.close()
	}
	return d, nil
}

// answer is what a key said in a yes/no dialog.
type answer int

const (
	answerNone answer = iota // the key moved the choice, or meant nothing
	answerYes
	answerNo
)

// yesNo reads a key of a yes/no dialog: y answers yes; n or q no; arrows,
// tab, h and l move the choice *yes; enter answers the choice.
func yesNo(k string, yes *bool) answer {
	switch k {
	case "y", "Y":
		return answerYes
	case "n", "N", "q":
		return answerNo
	case "left", "right", "tab", "shift+tab", "h", "l":
		*yes = !*yes
	case "enter":
		if *yes {
			return answerYes
		}
		return answerNo
	}
	return answerNone
}

// SetSize fits the component to its box.
func (d *confirmDialog) SetSize(w, h int) { d.width = w }

// ShortHelp lists the footer key hints.
func (d *confirmDialog) ShortHelp() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no")),
	}
}

// FullHelp lists every binding for the help overlay.
func (d *confirmDialog) FullHelp() [][]key.Binding { return [][]key.Binding{d.ShortHelp()} }

// View draws the component.
func (d *confirmDialog) View() string {
	st := d.c.st
	no, yes := st.Choice("No", !d.yes), st.Choice("Yes", d.yes)
	w := 70
	if d.width > 0 {
		w = max(20, min(w, d.width-8)) // the modal's border and padding take 4 more
	}
	lines := append(wrap(text(d.question), w), "", no+"  "+yes)
	return st.Modal.Render(strings.Join(lines, "\n"))
}

// actionCmd runs a backend call off the UI goroutine and reports it as a
// toast, then refreshes every page.
func actionCmd(ok string, fn func() error) tea.Cmd {
	return func() tea.Msg {
		if err := fn(); err != nil {
			return toastMsg{ok: false, text: err.Error()}
		}
		return actionDoneMsg{ok}
	}
}

// actionDoneMsg reports a finished operator action.
type actionDoneMsg struct{ text string }
