package tui

// Multi-select of the shared list component (pages that set multi): space
// toggles the item under the cursor and moves down, ctrl+a selects every
// visible (filtered) item or, when all are selected, clears them. Marks
// are kept by item key, so they survive reloads, sorts and filters.

// toggleMark marks or unmarks the item under the cursor.
func (t *table) toggleMark() {
	i := t.Selected()
	if i < 0 || t.key == nil {
		return
	}
	k := t.key(i)
	if t.marks[k] {
		delete(t.marks, k)
	} else {
		if t.marks == nil {
			t.marks = map[string]bool{}
		}
		t.marks[k] = true
	}
	t.cursor++
}

// markVisible selects every visible item; when all already are, it clears
// the selection.
func (t *table) markVisible() {
	if t.key == nil {
		return
	}
	all := true
	for pos := 0; pos < t.Len(); pos++ {
		if !t.marks[t.key(t.index(pos))] {
			all = false
			break
		}
	}
	if all {
		t.marks = nil
		return
	}
	if t.marks == nil {
		t.marks = map[string]bool{}
	}
	for pos := 0; pos < t.Len(); pos++ {
		t.marks[t.key(t.index(pos))] = true
	}
}

// Marked returns the row indices of the selected items still in the rows,
// in the table's order (visible or not).
func (t *table) Marked() []int {
	if len(t.marks) == 0 || t.key == nil {
		return nil
	}
	out := make([]int, 0, len(t.marks))
	for pos := 0; pos < t.n; pos++ {
		i := pos
		if t.order != nil {
			i = t.order[pos]
		}
		if t.marks[t.key(i)] {
			out = append(out, i)
		}
	}
	return out
}

// ClearMarks drops the selection; it reports whether there was one, so esc
// clears a selection before it clears a filter or closes the page.
func (t *table) ClearMarks() bool {
	if len(t.marks) == 0 {
		return false
	}
	t.marks = nil
	return true
}

// isMarked reports whether row i is selected.
func (t *table) isMarked(i int) bool {
	return len(t.marks) > 0 && t.key != nil && t.marks[t.key(i)]
}
