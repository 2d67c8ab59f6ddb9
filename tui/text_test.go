package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestClipMarksCutLinesWithAnEllipsis(t *testing.T) {
	got := strings.Split(clip("enter: tagging violations\nshort", 20, 3), "\n")
	if len(got) != 3 {
		t.Fatalf("clip kept %d lines, want 3", len(got))
	}
	if got[0] != "enter: tagging viol…" || ansi.StringWidth(got[0]) != 20 {
		t.Errorf("cut line %q, want 20 columns ending in an ellipsis", got[0])
	}
	if got[1] != "short" || got[2] != "" {
		t.Errorf("short lines changed: %q", got[1:])
	}
}
