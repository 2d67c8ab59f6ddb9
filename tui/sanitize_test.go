package tui

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/vigil-sec/vigil/asset"
)

// hostileAsset is a demo asset whose tags carry terminal escapes.
func hostileAsset(t *testing.T, b *fakeBackend) *asset.Asset {
	t.Helper()
	for _, a := range b.assets {
		if strings.Contains(a.Tags["Description"], "\x1b]0;pwned\x07") {
			return a
		}
	}
	t.Fatal("demo inventory has no hostile tag")
	return nil
}

// inert fails when a frame holds a sequence that would act on the terminal
// (anything but the SGR colour codes the styles themselves write).
func inert(t *testing.T, frame string) {
	t.Helper()
	for _, bad := range []string{"\x1b]", "\x07", "\x1b[2J", "pwned"} {
		if strings.Contains(frame, bad) {
			t.Fatalf("frame holds %q:\n%q", bad, frame)
		}
	}
}

func TestHostileTagsRenderInert(t *testing.T) {
	b := demoBackend()
	a := hostileAsset(t, b)
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor) // colours on: only SGR may appear
	d := newDriver(t, b, Options{Renderer: r})
	d.send(pushMsg{newAssetPage(d.m.c, a.ID)})
	inert(t, d.view())
	d.mustSee("build box") // the text itself is still there, minus the escapes
	d.key("2")             // attributes
	inert(t, d.view())
	d.key("t") // raw JSON
	inert(t, d.view())

	d.key("esc", "/")
	d.typeText(a.Name)
	inert(t, d.view())
	d.mustSee(a.Name)
}

func TestCleanHelperDropsEscapes(t *testing.T) {
	for _, s := range []string{"\x1b]0;pwned\x07", "\x1b[2J", "a\x1b[2Jb", "x\u009b2Jy"} {
		got := cell(s, 20)
		if strings.ContainsAny(got, "\x1b\x07\u009b") || strings.Contains(got, "pwned") {
			t.Errorf("cell(%q) = %q", s, got)
		}
	}
}
