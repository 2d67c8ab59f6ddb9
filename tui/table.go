package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// column is one table column; flex columns share the width left over.
type column struct {
	title     string
	width     int
	flex      bool
	hideBelow int  // the column is not drawn when the table is narrower (F still matches it)
	middle    bool // a long cell loses its middle, not its end (ARNs, IDs)
	// less orders rows a, b by this column when s sorts by it (nil: the
	// cells' text, numbers as numbers).
	less func(a, b int) bool
}

// table is a list that renders only its visible window: rows are produced on
// demand by a function, so a 100k-row list costs a screenful per frame. It
// owns cursor, scrolling and the F filter.
type table struct {
	c      *common
	cols   []column
	n      int
	row    func(i int) []string              // raw cells of row i (sanitised when drawn)
	key    func(i int) string                // stable identity, keeps the cursor across reloads
	selKey string                            // key of the selected item when the cursor last moved
	paint  func(i, col int, s string) string // optional styling of a fitted cell
	match  func(i int) []string              // optional cells the F filter reads instead of row's (e.g. full names shown short)
	view   []int                             // filtered row indices; nil means all rows
	order  []int                             // row indices in sort order; nil means the page's order
	sort   sortState                         // s/S: the sort column and direction
	multi  bool                              // space and ctrl+a select items (marks)
	marks  map[string]bool                   // keys of the selected items
	cursor int
	offset int
	width  int
	height int

	lower [][]string // lower-cased cells by column, each built when a filter first needs it after SetRows

	filterText string
	filtering  bool
	input      lineInput
	empty      string
}

func newTable(c *common, cols []column) *table {
	in := newInput(c, "F ", "terms, !exclude, col:value")
	return &table{c: c, cols: cols, input: in, empty: "nothing here", sort: sortState{col: -1}}
}

// SetRows replaces the rows, keeping the filter and, when a key function is
// set, the cursor on the same item.
//
// The page has usually replaced the data its key function reads by the time
// it calls SetRows, so the selected item's key is the one remembered when the
// cursor last moved, never key(old index) (which read the new data: a wrong
// item, or an index out of range when the list shrank).
func (t *table) SetRows(n int, row func(int) []string) {
	sel := t.selKey
	t.n, t.row = n, row
	t.lower = nil
	t.buildOrder()
	t.applyFilter()
	t.pruneMarks()
	t.reselect(sel)
}

// pruneMarks forgets selected items that are no longer in the rows.
func (t *table) pruneMarks() {
	if len(t.marks) == 0 || t.key == nil {
		return
	}
	keep := make(map[string]bool, len(t.marks))
	for i := range t.n {
		if k := t.key(i); t.marks[k] {
			keep[k] = true
		}
	}
	t.marks = keep
}

// remember records the key of the selected item while rows and data agree.
func (t *table) remember() {
	t.selKey = ""
	if t.key != nil && t.Len() > 0 {
		t.selKey = t.key(t.Selected())
	}
}

// Len is the number of visible (filtered) rows.
func (t *table) Len() int {
	if t.view != nil {
		return len(t.view)
	}
	return t.n
}

func (t *table) index(pos int) int {
	if t.view != nil {
		return t.view[pos]
	}
	return pos
}

// Selected is the row index under the cursor, or -1 when empty.
func (t *table) Selected() int {
	if t.Len() == 0 {
		return -1
	}
	return t.index(t.cursor)
}

// Capturing reports whether the filter input has the keyboard.
func (t *table) Capturing() bool { return t.filtering }

// ClearFilter drops an applied filter; it reports whether there was one, so
// a page's Esc clears the filter before esc closes the page.
func (t *table) ClearFilter() bool {
	if t.filterText == "" {
		return false
	}
	t.SetFilter("")
	return true
}

// SetFilter sets the filter text and re-applies it.
func (t *table) SetFilter(s string) {
	t.filterText = s
	t.input.SetValue(s)
	t.applyFilter()
	t.clamp()
	t.remember()
}

func (t *table) applyFilter() {
	q := parseFilter(t.filterText)
	if q.empty() {
		t.view = t.order
		return
	}
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = strings.ToLower(c.title)
	}
	if t.lower == nil {
		t.lower = make([][]string, len(t.cols))
	}
	// Only the columns the filter names are lower-cased and kept (all of
	// them for a term without a column): the default violations filter
	// needs the status column alone, and at 442k violations every column
	// took ~120 MB.
	var need []int
	for c := range t.cols {
		if q.uses(names[c]) {
			need = append(need, c)
			t.lowerColumn(c)
		}
	}
	vals := make([]string, len(t.cols))
	view := make([]int, 0, 64)
	for pos := range t.n {
		i := pos
		if t.order != nil {
			i = t.order[pos]
		}
		for _, c := range need {
			vals[c] = t.lower[c][i]
		}
		if q.match(names, vals) {
			view = append(view, i)
		}
	}
	t.view = view
}

// lowerColumn fills t.lower[c] with column c's sanitised, lower-cased cells
// unless it is there.
func (t *table) lowerColumn(c int) {
	if t.lower[c] != nil || t.n == 0 {
		return
	}
	cells := t.row
	if t.match != nil {
		cells = t.match
	}
	col := make([]string, t.n)
	for i := range col {
		if r := cells(i); c < len(r) {
			col[i] = strings.ToLower(text(r[c]))
		}
	}
	t.lower[c] = col
}

func (t *table) clamp() {
	if t.cursor >= t.Len() {
		t.cursor = t.Len() - 1
	}
	if t.cursor < 0 {
		t.cursor = 0
	}
	h := t.bodyHeight()
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+h {
		t.offset = t.cursor - h + 1
	}
	if t.offset < 0 {
		t.offset = 0
	}
}

func (t *table) bodyHeight() int {
	h := t.height - 1 // column header
	if t.filtering || t.filterText != "" {
		h--
	}
	if h < 1 {
		h = 1
	}
	return h
}

// SetSize sets the table's box.
func (t *table) SetSize(w, h int) {
	t.width, t.height = w, h
	t.input.width = w - 4
	t.clamp()
}

// Update moves the cursor and runs the filter input. It reports whether it
// used the message.
func (t *table) Update(msg tea.Msg) (bool, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return false, nil
	}
	if t.filtering {
		switch k.Type {
		case tea.KeyEnter:
			t.filtering = false
			t.input.Blur()
			return true, nil
		case tea.KeyEsc:
			t.filtering = false
			t.input.Blur()
			t.SetFilter("")
			return true, nil
		}
		if t.input.Update(msg) {
			t.filterText = t.input.Value()
			t.applyFilter()
			t.cursor = 0
			t.clamp()
			t.remember()
		}
		return true, nil
	}
	keys := t.c.keys
	switch {
	case key.Matches(k, keys.Up):
		t.cursor--
	case key.Matches(k, keys.Down):
		t.cursor++
	case key.Matches(k, keys.PgUp):
		t.cursor -= t.bodyHeight()
	case key.Matches(k, keys.PgDown):
		t.cursor += t.bodyHeight()
	case key.Matches(k, keys.HalfUp):
		t.cursor -= max(1, t.bodyHeight()/2)
	case key.Matches(k, keys.HalfDown):
		t.cursor += max(1, t.bodyHeight()/2)
	case key.Matches(k, keys.Sort):
		t.cycleSort()
		return true, nil
	case key.Matches(k, keys.SortReverse):
		t.reverseSort()
		return true, nil
	case t.multi && key.Matches(k, keys.Mark):
		t.toggleMark()
	case t.multi && key.Matches(k, keys.MarkAll):
		t.markVisible()
	case key.Matches(k, keys.Top):
		t.cursor = 0
	case key.Matches(k, keys.Bottom):
		t.cursor = t.Len() - 1
	case key.Matches(k, keys.Filter):
		t.filtering = true
		v := strings.TrimSpace(t.filterText)
		if v != "" {
			v += " " // typing adds a term to the current filter
		}
		t.input.SetValue(v)
		t.input.Focus()
		return true, nil
	case k.Type == tea.KeyEsc && t.filterText != "":
		t.SetFilter("")
	default:
		return false, nil
	}
	t.clamp()
	t.remember()
	return true, nil
}

func (t *table) widths() []int {
	ws := make([]int, len(t.cols))
	fixed, flex := 0, 0
	for i, c := range t.cols {
		if t.width < c.hideBelow {
			continue
		}
		ws[i] = c.width
		fixed += c.width + 1
		if c.flex {
			flex++
		}
	}
	if flex > 0 {
		extra := t.width - 2 - fixed
		if extra < 0 {
			extra = 0
		}
		for i, c := range t.cols {
			if c.flex && ws[i] > 0 {
				ws[i] += extra / flex
			}
		}
	}
	return ws
}

// View draws the header, the visible rows and the filter line.
func (t *table) View() string {
	st := t.c.st
	ws := t.widths()
	var b strings.Builder
	hdr := make([]string, 0, len(t.cols))
	for i := range t.cols {
		if ws[i] > 0 {
			hdr = append(hdr, fit(t.headerTitle(i), ws[i]))
		}
	}
	b.WriteString(fit("  "+st.ColHeader.Render(strings.Join(hdr, " ")), t.width))
	body := t.bodyHeight()
	if t.Len() == 0 {
		b.WriteString("\n" + st.Subtle.Render(fit("  "+t.empty, t.width)))
		body--
	}
	end := t.offset + body
	if end > t.Len() {
		end = t.Len()
	}
	cells := make([]string, 0, len(t.cols))
	for pos := t.offset; pos < end; pos++ {
		i := t.index(pos)
		r := t.row(i)
		cells = cells[:0]
		for j := range t.cols {
			if ws[j] == 0 {
				continue
			}
			s := ""
			if j < len(r) {
				s = r[j]
			}
			fitTo := fit
			if t.cols[j].middle {
				fitTo = fitMiddle
			}
			c := fitTo(text(s), ws[j])
			if t.paint != nil && pos != t.cursor {
				c = t.paint(i, j, c)
			}
			cells = append(cells, c)
		}
		mark := " "
		if t.isMarked(i) {
			mark = "*"
		}
		line := " " + mark + strings.Join(cells, " ")
		if pos == t.cursor {
			line = st.Selected.Render(fit(">"+mark+strings.Join(cells, " "), t.width))
		}
		line = fit(line, t.width)
		b.WriteString("\n" + line)
	}
	for pos := end; pos < t.offset+body; pos++ {
		b.WriteString("\n")
	}
	if t.filtering {
		b.WriteString("\n" + t.input.View())
	} else if t.filterText != "" {
		b.WriteString("\n" + st.Subtle.Render(fit("F "+text(t.filterText)+"  ("+itoa(t.Len())+" of "+itoa(t.n)+", esc clears)", t.width)))
	}
	return b.String()
}
