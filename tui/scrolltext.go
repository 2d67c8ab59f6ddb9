package tui

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// scrollText is a window over lines that are shown whole, never cut with
// "…": a dialog's API calls and before-state scroll instead (↑/↓, pgup/pgdn,
// ctrl+u/ctrl+d), so the operator sees exactly which rule a fix revokes.
type scrollText struct {
	lines  []string
	off    int
	height int
}

// set replaces the lines, keeping the offset in range.
func (s *scrollText) set(lines []string, height int) {
	s.lines, s.height = lines, max(1, height)
	s.off = max(0, min(s.off, len(s.lines)-s.height))
}

// key scrolls; it reports whether the key was a scroll key.
func (s *scrollText) key(k tea.KeyMsg, keys *KeyMap) bool {
	step := 0
	switch {
	case k.Type == tea.KeyUp:
		step = -1
	case k.Type == tea.KeyDown:
		step = 1
	case key.Matches(k, keys.PgUp), key.Matches(k, keys.HalfUp):
		step = -max(1, s.height/2)
	case key.Matches(k, keys.PgDown), key.Matches(k, keys.HalfDown):
		step = max(1, s.height/2)
	default:
		return false
	}
	s.off = max(0, min(s.off+step, len(s.lines)-s.height))
	return true
}

// view is the visible window, with a note of what is above and below.
func (s *scrollText) view(st *Styles) []string {
	if len(s.lines) <= s.height {
		return s.lines
	}
	end := min(s.off+s.height, len(s.lines))
	out := append([]string(nil), s.lines[s.off:end]...)
	out = append(out, st.Subtle.Render("  lines "+itoa(s.off+1)+"-"+itoa(end)+" of "+itoa(len(s.lines))+" (↑/↓, pgup/pgdn scroll)"))
	return out
}

// jsonLines renders a value as JSON, sanitised, every part kept: a value
// whose compact form fits in w is one line, a longer list or object has one
// element per line (so a rule list reads one rule a line), a long scalar
// wraps.
func jsonLines(v any, indent string, w int) []string {
	b, err := json.Marshal(v)
	if err != nil {
		return []string{indent + "(cannot show: " + text(err.Error()) + ")"}
	}
	var generic any
	if json.Unmarshal(b, &generic) != nil {
		generic = string(b)
	}
	return jsonValueLines(generic, indent, max(20, w))
}

func jsonValueLines(v any, indent string, w int) []string {
	b, _ := json.Marshal(v)
	if one := indent + text(string(b)); len([]rune(one)) <= w {
		return []string{one}
	}
	switch x := v.(type) {
	case []any:
		out := []string{indent + "["}
		for i, e := range x {
			sub := jsonValueLines(e, indent+"  ", w)
			if i < len(x)-1 {
				sub[len(sub)-1] += ","
			}
			out = append(out, sub...)
		}
		return append(out, indent+"]")
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := []string{indent + "{"}
		for i, k := range keys {
			kb, _ := json.Marshal(k)
			sub := jsonValueLines(x[k], indent+"  ", w)
			sub[0] = indent + "  " + text(string(kb)) + ": " + strings.TrimLeft(sub[0], " ")
			if i < len(keys)-1 {
				sub[len(sub)-1] += ","
			}
			out = append(out, sub...)
		}
		return append(out, indent+"}")
	}
	return wrap(indent+text(string(b)), w)
}

// stateLines shows a before- or after-state whole: one key per entry,
// sorted, its value as indented JSON.
func stateLines(m map[string]any, w int) []string {
	if len(m) == 0 {
		return []string{"  (nothing recorded)"}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		v := jsonLines(m[k], "    ", w)
		v[0] = "  " + text(k) + ": " + strings.TrimLeft(v[0], " ")
		out = append(out, v...)
	}
	return out
}
