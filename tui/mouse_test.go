package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestMouseWheelScrollsAndClickSelects(t *testing.T) {
	t.Parallel()
	d, p := violationsWith(t, fixtureBackend(), "")
	d.send(tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if p.tbl.cursor != wheelStep {
		t.Fatalf("wheel down: cursor %d, want %d", p.tbl.cursor, wheelStep)
	}
	d.send(tea.MouseMsg{Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	if p.tbl.cursor != 0 {
		t.Fatalf("wheel up: cursor %d, want 0", p.tbl.cursor)
	}
	// Find the screen row that shows the 5th violation and click it.
	want := p.items[p.tbl.index(4)].AssetName
	lines := strings.Split(d.view(), "\n")
	y := -1
	for i, l := range lines {
		if i > 3 && strings.Contains(l, " "+want+" ") {
			y = i
			break
		}
	}
	if y < 0 {
		t.Fatalf("%s not on screen", want)
	}
	d.send(tea.MouseMsg{Button: tea.MouseButtonLeft, Action: tea.MouseActionPress, Y: y})
	if p.tbl.cursor != 4 {
		t.Fatalf("click on screen row %d: cursor %d, want 4", y, p.tbl.cursor)
	}
	// A click on the column header or below the last row changes nothing.
	d.send(tea.MouseMsg{Button: tea.MouseButtonLeft, Action: tea.MouseActionPress, Y: 3})
	d.send(tea.MouseMsg{Button: tea.MouseButtonLeft, Action: tea.MouseActionPress, Y: 39})
	if p.tbl.cursor != 4 {
		t.Fatalf("a click off the rows moved the cursor to %d", p.tbl.cursor)
	}
}
