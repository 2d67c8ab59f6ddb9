package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// §2.9: at 80×24 the footer keeps the way to help and out; the page's
// hints give way first.
func TestFooterKeepsHelpAndQuitAt80x24(t *testing.T) {
	t.Parallel()
	d := newDriver(t, fixtureBackend(), Options{})
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	lines := strings.Split(d.view(), "\n")
	hints := lines[len(lines)-2]
	if !strings.Contains(hints, "? help") || !strings.Contains(hints, "q quit") {
		t.Fatalf("dashboard footer at 80 columns: %q", hints)
	}
	d.key(":")
	d.typeText("violations")
	d.key("enter")
	lines = strings.Split(d.view(), "\n")
	hints = lines[len(lines)-2]
	if !strings.Contains(hints, "esc back") || !strings.Contains(hints, "? help") || strings.Contains(hints, "q quit") {
		t.Fatalf("a deeper page offers esc and help, not q (which only quits from the first page): %q", hints)
	}
}

// §2.8: a status message belongs to the page it was said on.
func TestToastsDoNotFollowToTheNextPage(t *testing.T) {
	t.Parallel()
	d := newDriver(t, fixtureBackend(), Options{})
	d.key(":")
	d.typeText("violations")
	d.key("enter")
	d.send(toastMsg{ok: false, text: "something about this page"})
	d.mustSee("something about this page")
	d.key("esc")
	if strings.Contains(d.view(), "something about this page") {
		t.Fatal("the toast followed the operator back to the dashboard")
	}
}
