package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// Mouse support, on when the config says `mouse: true` (the program is
// then started with tea.WithMouseCellMotion): the wheel scrolls the list
// of the page and a left click selects the row under the pointer, as in
// k9s. Off by default, so the terminal's own text selection works.

// wheelStep is how many rows one wheel notch moves.
const wheelStep = 3

// bodyTop is the first screen row of the page body (below header and
// breadcrumbs; see View).
const bodyTop = 2

// mouse routes a mouse event to the top page's list; overlays take none.
func (m *Model) mouse(msg tea.MouseMsg) tea.Cmd {
	if m.overlay != nil || msg.Action != tea.MouseActionPress {
		return nil
	}
	l, ok := m.top().(lister)
	if !ok || l.list() == nil {
		return nil
	}
	t := l.list()
	if t.Capturing() {
		return nil
	}
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		t.move(-wheelStep)
	case tea.MouseButtonWheelDown:
		t.move(wheelStep)
	case tea.MouseButtonLeft:
		if top, ok := listTop(m.top().View(), t.View()); ok {
			t.click(msg.Y - bodyTop - top - 1) // -1: the column header
		}
	}
	return nil
}

// listTop finds the line of the page's view where its list starts.
func listTop(page, list string) (int, bool) {
	i := strings.Index(page, list)
	if i < 0 {
		return 0, false
	}
	return strings.Count(page[:i], "\n"), true
}

// move moves the cursor by n rows, scrolling as needed.
func (t *table) move(n int) {
	t.cursor += n
	t.clamp()
	t.remember()
}

// click selects the row drawn on line y of the list body (0 is the first
// row below the column header); a click on no row does nothing.
func (t *table) click(y int) {
	if y < 0 || y >= t.bodyHeight() || t.offset+y >= t.Len() {
		return
	}
	t.cursor = t.offset + y
	t.clamp()
	t.remember()
}
