package tui

import (
	"sort"

	"github.com/charmbracelet/bubbles/key"
)

// KeyMap is every key binding of the console, as data: help is generated
// from it, config rebinds it by action name, and read-only sessions disable
// the actions that change anything (with a reason shown in help).
type KeyMap struct {
	Quit      key.Binding
	ForceQuit key.Binding
	Back      key.Binding
	Help      key.Binding
	Palette   key.Binding
	Search    key.Binding
	Group     key.Binding

	Up     key.Binding
	Down   key.Binding
	PgUp   key.Binding
	PgDown key.Binding
	Top    key.Binding
	Bottom key.Binding
	// HalfUp and HalfDown move half a page (ctrl+u, ctrl+d).
	HalfUp   key.Binding
	HalfDown key.Binding
	Open     key.Binding
	Next     key.Binding
	Prev     key.Binding
	Filter   key.Binding
	Sort     key.Binding
	// SortReverse flips the sort direction (S).
	SortReverse key.Binding
	// Mark selects the item under the cursor (space); MarkAll every visible one.
	Mark    key.Binding
	MarkAll key.Binding
	Toggle  key.Binding
	Copy    key.Binding
	// Console copies the AWS console URL of the asset (o).
	Console key.Binding
	// Undo reverses an applied fix (u).
	Undo key.Binding

	Fix       key.Binding
	Exception key.Binding
	Disable   key.Binding
	Autofix   key.Binding
	Revoke    key.Binding
	Scan      key.Binding
	New       key.Binding
	Edit      key.Binding
	Delete    key.Binding

	// Disabled names the actions turned off in this session and why.
	Disabled map[string]string
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() *KeyMap {
	b := func(help string, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return &KeyMap{
		Quit:        b("q", "quit", "q"),
		ForceQuit:   b("ctrl+c", "quit", "ctrl+c"),
		Back:        b("esc", "back", "esc"),
		Help:        b("?", "help", "?"),
		Palette:     b(":", "command", ":"),
		Search:      b("/", "search", "/"),
		Group:       b("g", "group", "g"),
		Up:          b("↑/k", "up", "up", "k"),
		Down:        b("↓/j", "down", "down", "j"),
		PgUp:        b("pgup", "page up", "pgup", "ctrl+b"),
		PgDown:      b("pgdn", "page down", "pgdown", "ctrl+f"),
		Top:         b("</home", "top", "<", "home"),
		Bottom:      b(">/G/end", "bottom", ">", "G", "end"),
		HalfUp:      b("ctrl+u", "half page up", "ctrl+u"),
		HalfDown:    b("ctrl+d", "half page down", "ctrl+d"),
		Open:        b("enter", "open", "enter"),
		Next:        b("tab", "next pane", "tab"),
		Prev:        b("shift+tab", "previous pane", "shift+tab"),
		Filter:      b("F", "filter", "F"),
		Sort:        b("s", "sort column", "s"),
		SortReverse: b("S", "reverse sort", "S"),
		Mark:        b("space", "select", " ", "space"),
		MarkAll:     b("ctrl+a", "select all", "ctrl+a"),
		Console:     b("o", "AWS console URL", "o"),
		Undo:        b("u", "undo fix", "u"),
		Toggle:      b("t", "toggle view", "t"),
		Copy:        b("y", "copy ARN", "y"),
		Fix:         b("f", "fix", "f"),
		Exception:   b("e", "exception", "e"),
		Disable:     b("d", "enable/disable", "d"),
		Autofix:     b("a", "autofix on/off", "a"),
		Revoke:      b("x", "revoke", "x"),
		Scan:        b("r", "scan now", "r"),
		New:         b("n", "new", "n"),
		Edit:        b("E", "edit", "E"),
		Delete:      b("D", "delete", "D"),
		Disabled:    map[string]string{},
	}
}

// byName maps config action names to bindings.
func (k *KeyMap) byName() map[string]*key.Binding {
	return map[string]*key.Binding{
		"quit": &k.Quit, "back": &k.Back, "help": &k.Help, "palette": &k.Palette,
		"search": &k.Search, "group": &k.Group, "up": &k.Up, "down": &k.Down,
		"pgup": &k.PgUp, "pgdown": &k.PgDown, "top": &k.Top, "bottom": &k.Bottom,
		"open": &k.Open, "next": &k.Next, "prev": &k.Prev, "filter": &k.Filter,
		"sort": &k.Sort, "toggle": &k.Toggle, "copy": &k.Copy, "fix": &k.Fix,
		"exception": &k.Exception, "disable": &k.Disable, "autofix": &k.Autofix,
		"revoke": &k.Revoke, "scan": &k.Scan, "new": &k.New, "edit": &k.Edit,
		"delete": &k.Delete, "halfup": &k.HalfUp, "halfdown": &k.HalfDown,
		"reverse": &k.SortReverse, "select": &k.Mark, "selectall": &k.MarkAll,
		"console": &k.Console, "undo": &k.Undo,
	}
}

// writeActions are the actions a read-only session does not have.
func writeActions() []string {
	return []string{"fix", "exception", "disable", "autofix", "revoke", "scan", "new", "edit", "delete", "undo"}
}

// Rebind applies config rebinding (action name -> keys). Unknown action
// names are returned so the caller can log them.
func (k *KeyMap) Rebind(keys map[string][]string) (unknown []string) {
	names := k.byName()
	for action, ks := range keys {
		b, ok := names[action]
		if !ok || len(ks) == 0 {
			unknown = append(unknown, action)
			continue
		}
		b.SetKeys(ks...)
		b.SetHelp(joinKeys(ks), b.Help().Desc)
	}
	sort.Strings(unknown)
	return unknown
}

// DisableWrites turns off every action that changes something, giving why.
func (k *KeyMap) DisableWrites(reason string) {
	names := k.byName()
	for _, a := range writeActions() {
		names[a].SetEnabled(false)
		k.Disabled[a] = reason
	}
}

// DisableActions turns off the named actions (config action names, as in
// writeActions), giving why: a role that lacks them (a viewer has no fix,
// an operator no policy edits).
func (k *KeyMap) DisableActions(actions []string, reason string) {
	names := k.byName()
	for _, a := range actions {
		if b, ok := names[a]; ok {
			b.SetEnabled(false)
			k.Disabled[a] = reason
		}
	}
}

// DisabledReason says why a pressed key does nothing, when it is bound to
// an action this session does not have, and names that action.
func (k *KeyMap) DisabledReason(pressed string) (action, why string, ok bool) {
	names := k.byName()
	for _, a := range writeActions() {
		reason, off := k.Disabled[a]
		if !off {
			continue
		}
		for _, ks := range names[a].Keys() {
			if ks == pressed {
				return a, names[a].Help().Desc + " is not available: " + reason, true
			}
		}
	}
	return "", "", false
}

func joinKeys(ks []string) string {
	out := ""
	for i, s := range ks {
		if i > 0 {
			out += "/"
		}
		out += s
	}
	return out
}

// Global returns the bindings every page shares, for help.
func (k *KeyMap) Global() []key.Binding {
	return []key.Binding{k.Back, k.Quit, k.Help, k.Palette, k.Search, k.Group}
}

// Nav returns the list navigation bindings, for help.
func (k *KeyMap) Nav() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PgUp, k.PgDown, k.HalfUp, k.HalfDown, k.Top, k.Bottom,
		k.Open, k.Filter, k.Sort, k.SortReverse}
}
