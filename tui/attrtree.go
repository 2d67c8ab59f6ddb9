package tui

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/vigil-sec/vigil/asset"
)

// treeNode is one visible line of the attribute tree.
type treeNode struct {
	path  string
	depth int
	key   string
	value string // scalar rendering; "" for containers
	kids  int    // children of a map or list; -1 for scalars
}

// attrTree is the foldable view of an attribute document. Containers start
// folded below the first level; enter/space folds and unfolds.
type attrTree struct {
	doc    map[string]any
	open   map[string]bool
	nodes  []treeNode
	cursor int
	offset int
}

func newAttrTree(doc map[string]any) *attrTree {
	t := &attrTree{doc: doc, open: map[string]bool{}}
	t.rebuild()
	return t
}

func (t *attrTree) rebuild() {
	t.nodes = t.nodes[:0]
	t.walk("", 0, t.doc)
	if t.cursor >= len(t.nodes) {
		t.cursor = max(0, len(t.nodes)-1)
	}
}

func (t *attrTree) walk(prefix string, depth int, v any) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.add(join(prefix, k), depth, k, x[k])
		}
	case []any:
		for i, e := range x {
			t.add(join(prefix, itoa(i)), depth, "["+itoa(i)+"]", e)
		}
	}
}

func (t *attrTree) add(path string, depth int, k string, v any) {
	n := treeNode{path: path, depth: depth, key: k, kids: -1}
	switch x := v.(type) {
	case map[string]any:
		n.kids = len(x)
	case []any:
		n.kids = len(x)
	default:
		n.value = scalar(v)
	}
	t.nodes = append(t.nodes, n)
	if n.kids >= 0 && t.open[path] {
		t.walk(path, depth+1, v)
	}
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return strconvQuote(x)
	case nil:
		return "null"
	}
	return asset.String(v)
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// toggle folds or unfolds the container under the cursor.
func (t *attrTree) toggle() {
	if t.cursor < len(t.nodes) && t.nodes[t.cursor].kids > 0 {
		p := t.nodes[t.cursor].path
		t.open[p] = !t.open[p]
		t.rebuild()
	}
}

func (t *attrTree) move(d, h int) {
	t.cursor = max(0, min(len(t.nodes)-1, t.cursor+d))
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+h {
		t.offset = t.cursor - h + 1
	}
}

// view draws the visible window of the tree.
func (t *attrTree) view(st *Styles, w, h int) string {
	var lines []string
	end := min(len(t.nodes), t.offset+h)
	for i := t.offset; i < end; i++ {
		n := t.nodes[i]
		ind := strings.Repeat("  ", n.depth)
		var l string
		switch {
		case n.kids < 0:
			l = ind + "  " + text(n.key) + ": " + text(n.value)
		case t.open[n.path]:
			l = ind + "▾ " + text(n.key)
		default:
			l = ind + "▸ " + text(n.key) + st.Subtle.Render(" ("+itoa(n.kids)+")")
		}
		if i == t.cursor {
			l = st.Selected.Render(fit("> "+ansiStrip(l), w))
		} else {
			l = fit("  "+l, w)
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

// ansiStrip drops styling from an already safe line (to restyle it whole).
func ansiStrip(s string) string { return ansi.Strip(s) }

// rawJSON is the document as indented JSON lines, sanitised.
func rawJSON(doc map[string]any) []string {
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return []string{"cannot render: " + err.Error()}
	}
	lines := strings.Split(string(b), "\n")
	for i := range lines {
		lines[i] = text(lines[i])
	}
	return lines
}
