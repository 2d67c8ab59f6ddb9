package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// lineInput is a one-line text field: insert, delete, move, clear. It draws
// a block cursor with reverse video (so it needs no colour).
type lineInput struct {
	c           *common
	prompt      string
	placeholder string
	value       []rune
	pos         int
	focused     bool
	width       int
}

func newInput(c *common, prompt, placeholder string) lineInput {
	return lineInput{c: c, prompt: prompt, placeholder: placeholder, width: 40}
}

// Value is the current text.
func (in *lineInput) Value() string { return string(in.value) }

// SetValue replaces the text and moves the cursor to its end.
func (in *lineInput) SetValue(s string) {
	in.value = []rune(s)
	in.pos = len(in.value)
}

// Focus gives the field the keyboard.
func (in *lineInput) Focus() { in.focused = true }

// Blur takes the keyboard away.
func (in *lineInput) Blur() { in.focused = false }

// Update edits the text; it reports whether the value changed.
func (in *lineInput) Update(msg tea.Msg) bool {
	k, ok := msg.(tea.KeyMsg)
	if !ok || !in.focused {
		return false
	}
	before := string(in.value)
	switch k.Type {
	case tea.KeyRunes, tea.KeySpace:
		rs := k.Runes
		if k.Type == tea.KeySpace {
			rs = []rune{' '}
		}
		clean := []rune(text(string(rs)))
		v := make([]rune, 0, len(in.value)+len(clean))
		v = append(v, in.value[:in.pos]...)
		v = append(v, clean...)
		v = append(v, in.value[in.pos:]...)
		in.value = v
		in.pos += len(clean)
	case tea.KeyBackspace:
		if in.pos > 0 {
			in.value = append(in.value[:in.pos-1], in.value[in.pos:]...)
			in.pos--
		}
	case tea.KeyDelete:
		if in.pos < len(in.value) {
			in.value = append(in.value[:in.pos], in.value[in.pos+1:]...)
		}
	case tea.KeyLeft:
		if in.pos > 0 {
			in.pos--
		}
	case tea.KeyRight:
		if in.pos < len(in.value) {
			in.pos++
		}
	case tea.KeyHome, tea.KeyCtrlA:
		in.pos = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		in.pos = len(in.value)
	case tea.KeyCtrlU:
		in.value = in.value[in.pos:]
		in.pos = 0
	case tea.KeyCtrlW:
		i := in.pos
		for i > 0 && in.value[i-1] == ' ' {
			i--
		}
		for i > 0 && in.value[i-1] != ' ' {
			i--
		}
		in.value = append(in.value[:i], in.value[in.pos:]...)
		in.pos = i
	}
	return string(in.value) != before
}

// View draws prompt, text and cursor.
func (in *lineInput) View() string {
	st := in.c.st
	var b strings.Builder
	b.WriteString(st.Key.Render(in.prompt))
	if len(in.value) == 0 && !in.focused {
		b.WriteString(st.Subtle.Render(in.placeholder))
		return b.String()
	}
	if len(in.value) == 0 {
		b.WriteString(st.Selected.Render("_"))
		b.WriteString(st.Subtle.Render(in.placeholder))
		return b.String()
	}
	b.WriteString(string(in.value[:in.pos]))
	if in.focused {
		cur := "_"
		if in.pos < len(in.value) {
			cur = string(in.value[in.pos])
		}
		b.WriteString(st.Selected.Render(cur))
		if in.pos < len(in.value) {
			b.WriteString(string(in.value[in.pos+1:]))
		}
	} else {
		b.WriteString(string(in.value[in.pos:]))
	}
	return b.String()
}
