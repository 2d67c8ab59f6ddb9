package tui

import (
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/vigil-sec/vigil/tui/omni"
)

// facetPicker lists one facet's values among the current matches with
// their counts, best first, "any" on top; enter chooses, esc closes.
type facetPicker struct {
	facet  string // omni.FacetType, FacetAccount or FacetRegion
	vals   []string
	counts []int
	cursor int
}

// newFacetPicker lists the values of facet in counts, the current one
// under the cursor.
func newFacetPicker(facet string, counts map[string]int, cur string) *facetPicker {
	fp := &facetPicker{facet: facet, vals: []string{""}, counts: []int{-1}}
	vals := make([]string, 0, len(counts))
	for v := range counts {
		vals = append(vals, v)
	}
	sort.Slice(vals, func(i, j int) bool {
		if counts[vals[i]] != counts[vals[j]] {
			return counts[vals[i]] > counts[vals[j]]
		}
		return vals[i] < vals[j]
	})
	for _, v := range vals {
		if v == cur {
			fp.cursor = len(fp.vals)
		}
		fp.vals = append(fp.vals, v)
		fp.counts = append(fp.counts, counts[v])
	}
	return fp
}

// key moves the cursor; it returns the chosen value and true on enter,
// and done on enter or esc.
func (fp *facetPicker) key(msg tea.KeyMsg) (val string, chosen, done bool) {
	switch msg.Type {
	case tea.KeyUp:
		fp.cursor = max(0, fp.cursor-1)
	case tea.KeyDown:
		fp.cursor = min(len(fp.vals)-1, fp.cursor+1)
	case tea.KeyHome:
		fp.cursor = 0
	case tea.KeyEnd:
		fp.cursor = len(fp.vals) - 1
	case tea.KeyEnter:
		return fp.vals[fp.cursor], true, true
	case tea.KeyEsc:
		return "", false, true
	}
	return "", false, false
}

// view draws the picker in h rows of width w, the cursor kept in sight.
func (fp *facetPicker) view(st *Styles, accounts map[string]string, w, h int) []string {
	lines := []string{st.Title.Render(fit("choose "+fp.facet+" (enter: choose, esc: close)", w))}
	h = max(1, h-1)
	from := max(0, min(fp.cursor-h/2, len(fp.vals)-h))
	for i := from; i < min(len(fp.vals), from+h); i++ {
		label := "any"
		if fp.vals[i] != "" {
			label = text(fp.vals[i])
			if n := accounts[fp.vals[i]]; n != "" && fp.facet == omni.FacetAccount {
				label += " (" + text(n) + ")"
			}
		}
		count := ""
		if fp.counts[i] >= 0 {
			count = itoa(fp.counts[i])
		}
		row := fit("  "+label, max(1, w-10)) + strings.Repeat(" ", max(0, 10-len(count))) + count
		if i == fp.cursor {
			row = st.Selected.Render(fit("> "+strings.TrimPrefix(row, "  "), w))
		}
		lines = append(lines, row)
	}
	return lines
}
