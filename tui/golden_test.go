package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
)

// frame renders the console at a size after some keys, with the ASCII
// profile and the fixed clock, for a golden comparison.
func frame(t *testing.T, w, h int, keys ...string) string {
	t.Helper()
	d := newDriver(t, fixtureBackend(), Options{})
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.key(keys...)
	v := d.view()
	if strings.Contains(v, "\x1b") {
		t.Fatalf("ASCII frame holds an escape sequence:\n%q", v)
	}
	return v
}

func TestGoldenDashboard80x24(t *testing.T)  { golden.RequireEqual(t, []byte(frame(t, 80, 24))) }
func TestGoldenDashboard160x48(t *testing.T) { golden.RequireEqual(t, []byte(frame(t, 160, 48))) }

func TestGoldenViolations80x24(t *testing.T) {
	golden.RequireEqual(t, []byte(frame(t, 80, 24, ":", "v", "i", "o", "enter")))
}

func TestGoldenPolicies160x48(t *testing.T) {
	golden.RequireEqual(t, []byte(frame(t, 160, 48, ":", "p", "o", "l", "enter")))
}

func TestGoldenHelp80x24(t *testing.T) { golden.RequireEqual(t, []byte(frame(t, 80, 24, "?"))) }

func TestGoldenTooSmall(t *testing.T) { golden.RequireEqual(t, []byte(frame(t, 60, 20))) }

func TestGoldenAsset80x24(t *testing.T) {
	golden.RequireEqual(t, []byte(frame(t, 80, 24, "/", "w", "e", "b", "-", "0", "1", "enter")))
}

func TestGoldenFixModal80x24(t *testing.T) {
	golden.RequireEqual(t, []byte(frame(t, 80, 24, ":", "v", "i", "o", "enter", "j", "j", "j", "j", "f")))
}
