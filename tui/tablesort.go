package tui

import (
	"sort"
	"strconv"
	"strings"
)

// Sorting of the shared list component: s cycles the sort column through
// the drawn columns and back to the page's own order, S reverses it. The
// sort keys of a column are built once per SetRows (the lower-cased cells
// the filter also uses), so sorting 100k rows compares strings, not rows.

// sortState is the table's current sort: col -1 is the page's own order.
type sortState struct {
	col  int
	desc bool
}

// cycleSort moves the sort to the next drawn column (after the last, back
// to the page's order), ascending.
func (t *table) cycleSort() {
	ws := t.widths()
	next := -1
	for c := t.sort.col + 1; c < len(t.cols); c++ {
		if ws[c] > 0 {
			next = c
			break
		}
	}
	t.sort = sortState{col: next}
	t.resort()
}

// reverseSort flips the direction (of the page's order too).
func (t *table) reverseSort() {
	t.sort.desc = !t.sort.desc
	t.resort()
}

// resort rebuilds the order and the filtered view, keeping the cursor on
// the selected item.
func (t *table) resort() {
	sel := t.selKey
	t.buildOrder()
	t.applyFilter()
	t.reselect(sel)
}

// reselect puts the cursor back on the item with key sel.
func (t *table) reselect(sel string) {
	if sel != "" && t.key != nil {
		for pos := 0; pos < t.Len(); pos++ {
			if t.key(t.index(pos)) == sel {
				t.cursor = pos
				break
			}
		}
	}
	t.clamp()
	t.remember()
}

// buildOrder computes the row order of the current sort (nil: natural).
func (t *table) buildOrder() {
	if t.sort.col < 0 && !t.sort.desc {
		t.order = nil
		return
	}
	order := make([]int, t.n)
	for i := range order {
		order[i] = i
	}
	if t.sort.col < 0 { // the page's order, reversed
		for i, j := 0, len(order)-1; i < j; i, j = i+1, j-1 {
			order[i], order[j] = order[j], order[i]
		}
		t.order = order
		return
	}
	c := t.sort.col
	less := t.cols[c].less
	if less == nil {
		if t.lower == nil {
			t.lower = make([][]string, len(t.cols))
		}
		t.lowerColumn(c)
		keys := t.lower[c]
		less = func(a, b int) bool { return naturalLess(keys[a], keys[b]) }
	}
	desc := t.sort.desc
	sort.SliceStable(order, func(i, j int) bool {
		if desc {
			return less(order[j], order[i])
		}
		return less(order[i], order[j])
	})
	t.order = order
}

// naturalLess compares cells as numbers when both are (counts, "87%"),
// else as text.
func naturalLess(a, b string) bool {
	na, errA := strconv.ParseFloat(strings.TrimSuffix(a, "%"), 64)
	nb, errB := strconv.ParseFloat(strings.TrimSuffix(b, "%"), 64)
	if errA == nil && errB == nil {
		return na < nb
	}
	return a < b
}

// sortLabel is what the header says about the sort ("" in the page's order).
func (t *table) sortLabel() string {
	switch {
	case t.sort.col >= 0 && t.sort.desc:
		return "sorted by " + strings.ToLower(t.cols[t.sort.col].title) + " ↓"
	case t.sort.col >= 0:
		return "sorted by " + strings.ToLower(t.cols[t.sort.col].title) + " ↑"
	case t.sort.desc:
		return "default order reversed"
	}
	return ""
}

// headerTitle is column c's title with the sort arrow when it is the sort column.
func (t *table) headerTitle(c int) string {
	if c != t.sort.col {
		return t.cols[c].title
	}
	if t.sort.desc {
		return t.cols[c].title + "↓"
	}
	return t.cols[c].title + "↑"
}
