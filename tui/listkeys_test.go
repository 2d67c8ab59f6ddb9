package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/rules"
)

// openList opens a page from the palette and returns the driver at 120x40.
func openList(t *testing.T, page string) *driver {
	t.Helper()
	d := newDriver(t, fixtureBackend(), Options{})
	d.key(":")
	d.typeText(page)
	d.key("enter")
	return d
}

// column returns the cells of column c of the violations in view order.
func violationColumn(p *violationsPage, f func(v *rules.Violation) string) []string {
	out := make([]string, p.tbl.Len())
	for pos := range out {
		out[pos] = f(&p.items[p.tbl.index(pos)])
	}
	return out
}

func TestSortCyclesColumnsAndReverses(t *testing.T) {
	t.Parallel()
	d := openList(t, "violations")
	p := d.m.top().(*violationsPage)
	sev := func(v *rules.Violation) string { return v.Severity }
	d.key("s")
	d.mustSee("Severity↑")
	got := violationColumn(p, sev)
	if got[0] != rules.SeverityCritical || got[len(got)-1] != rules.SeverityLow {
		t.Fatalf("s sorts by severity, worst first: %v", got)
	}
	d.key("S")
	d.mustSee("Severity↓")
	got = violationColumn(p, sev)
	if got[0] != rules.SeverityLow || got[len(got)-1] != rules.SeverityCritical {
		t.Fatalf("S reverses the severity sort: %v", got)
	}
	// s moves on to the next column (Status), then Age, then Policy.
	d.key("s", "s", "s")
	d.mustSee("Policy↑")
	pols := violationColumn(p, func(v *rules.Violation) string { return v.PolicyID })
	for i := 1; i < len(pols); i++ {
		if pols[i-1] > pols[i] {
			t.Fatalf("policy column not ascending at %d: %v", i, pols)
		}
	}
	if strings.Contains(d.view(), "Severity↑") {
		t.Fatal("the header still marks severity as the sort column")
	}
}

func TestSortKeepsTheCursorOnTheSameViolation(t *testing.T) {
	t.Parallel()
	d := openList(t, "violations")
	p := d.m.top().(*violationsPage)
	d.key("j", "j", "j")
	before := p.selected().ID
	d.key("s", "S")
	if got := p.selected().ID; got != before {
		t.Fatalf("sorting moved the cursor from %s to %s", before, got)
	}
}

func TestHalfPagesAndTopBottom(t *testing.T) {
	t.Parallel()
	d := openList(t, "violations")
	d.send(tea.WindowSizeMsg{Width: 120, Height: 14})
	p := d.m.top().(*violationsPage)
	half := p.tbl.bodyHeight() / 2
	d.key("ctrl+d")
	if p.tbl.cursor != half {
		t.Fatalf("ctrl+d: cursor %d, want %d (half of %d rows)", p.tbl.cursor, half, p.tbl.bodyHeight())
	}
	d.key("ctrl+u")
	if p.tbl.cursor != 0 {
		t.Fatalf("ctrl+u: cursor %d, want 0", p.tbl.cursor)
	}
	d.key(">")
	if p.tbl.cursor != p.tbl.Len()-1 {
		t.Fatalf(">: cursor %d, want the last row %d", p.tbl.cursor, p.tbl.Len()-1)
	}
	d.key("<")
	if p.tbl.cursor != 0 {
		t.Fatalf("<: cursor %d, want 0", p.tbl.cursor)
	}
	if len(d.titles()) != 2 {
		t.Fatalf("< or > opened something: %v", d.titles())
	}
}

func TestViolationsShowAgeAndMessage(t *testing.T) {
	t.Parallel()
	d := openList(t, "violations")
	d.send(tea.WindowSizeMsg{Width: 160, Height: 40})
	p := d.m.top().(*violationsPage)
	v := p.selected()
	d.mustSee("Age")
	d.mustSee("Message")
	d.mustSee(age(testNow, v.OpenedAt))
	if v.Message == "" {
		t.Fatal("fixture violation has no message to show")
	}
	d.mustSee(v.Message[:10])
}

func TestPoliciesSortByCompliance(t *testing.T) {
	t.Parallel()
	d := openList(t, "policies")
	p := d.m.top().(*policiesPage)
	d.key("s")
	d.mustSee("Compl↑")
	d.mustSee("sorted by compl ↑")
	prev := -1
	for pos := 0; pos < p.tbl.Len(); pos++ {
		c := p.rows[p.tbl.index(pos)].score.Compliance
		if c < prev {
			t.Fatalf("compliance not ascending at row %d", pos)
		}
		prev = c
	}
}
