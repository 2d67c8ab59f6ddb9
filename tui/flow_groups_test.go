package tui_test

import (
	"bytes"
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/groups"
)

// The demo comes with environment and team groups; `:group prod` scopes the
// console to the prod-tagged assets and their dashboard has a trend.
func TestFlowPaletteGroupProd(t *testing.T) {
	tm := startDemo(t)
	var all int
	waitFor(t, tm, "dashboard", func(b []byte) bool { all = lastCount(b); return all > 0 })
	tm.Type(":group prod")
	key(tm, tea.KeyEnter)
	waitFor(t, tm, "prod dashboard", func(b []byte) bool {
		n := lastCount(b)
		return bytes.Contains(b, []byte("group prod")) && n > 0 && n < all &&
			bytes.Contains(b, []byte("Trend (90 days)"))
	})
}

// Every member of a demo environment group carries that Environment tag.
func TestDemoGroupsSelectByTag(t *testing.T) {
	b, err := cycle.NewDemoBackend(context.Background(), t.TempDir(), flowNow())
	if err != nil {
		t.Fatalf("demo backend: %v", err)
	}
	defer b.Close()
	gs, err := b.Groups()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"prod", "staging", "dev", "team-payments", "data-stores"} {
		if _, ok := groups.Find(gs, name); !ok {
			t.Errorf("demo has no group %q", name)
		}
	}
	all, err := b.Summaries(groups.All)
	if err != nil {
		t.Fatal(err)
	}
	prod, err := b.Summaries("prod")
	if err != nil {
		t.Fatal(err)
	}
	if len(prod) == 0 || len(prod) >= len(all) {
		t.Fatalf("prod has %d of %d assets", len(prod), len(all))
	}
	for _, s := range prod {
		if env, _ := s.Tags.Get("Environment"); env != "prod" {
			t.Fatalf("%s in prod is tagged Environment=%q", s.ID, env)
		}
	}
	pts, err := b.Trend("prod", "cloud", flowNow().AddDate(0, 0, -100))
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) < 2 {
		t.Fatalf("prod has %d trend points, want the demo's daily history", len(pts))
	}
}

// A terminal read can carry many typed keys at once (tmux send-keys, a slow
// SSH link): ":group prod" arriving as one message still opens the palette
// and switches the group, and "/payments" opens search with that query.
func TestFlowKeysArrivingTogether(t *testing.T) {
	tm := startDemo(t)
	waitFor(t, tm, "dashboard", contains("overall"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(":group prod")})
	key(tm, tea.KeyEnter)
	waitFor(t, tm, "prod", contains("group prod"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/payments")})
	waitFor(t, tm, "search results", func(b []byte) bool {
		return bytes.Contains(b, []byte("/ payments")) && bytes.Contains(b, []byte("matching lines"))
	})
}
