package tui

import tea "github.com/charmbracelet/bubbletea"

// pushMsg asks the root to open a page on top of the stack.
type pushMsg struct{ page Page }

// jumpMsg asks the root to show a page the palette named: the pages above
// the first one are replaced by it, as k9s does for a `:` command.
type jumpMsg struct{ page Page }

// popMsg asks the root to close the top page.
type popMsg struct{}

// switchGroupMsg asks the root to scope the whole console to a group.
type switchGroupMsg struct{ name string }

// groupDeletedMsg reports a stored group deleted.
type groupDeletedMsg struct{ name string }

// groupRenamedMsg reports a stored group saved under a new name and the
// old name removed: a console scoped to the old name follows it.
type groupRenamedMsg struct{ from, to string }

// groupChangedMsg tells every page the group changed; they reload.
type groupChangedMsg struct{}

// refreshMsg tells every page data changed (a scan or fix ended); pages
// reload keeping cursor and filter.
type refreshMsg struct{}

// toastMsg shows a ✓ or ✗ note in the footer for a few seconds.
type toastMsg struct {
	ok   bool
	text string
}

// toastExpireMsg removes a toast.
type toastExpireMsg struct{ id int }

// taskStartMsg shows a spinner for a background task.
type taskStartMsg struct {
	id    int
	label string
}

// taskDoneMsg ends a background task with a toast.
type taskDoneMsg struct {
	id   int
	ok   bool
	text string
}

// modalMsg opens a modal dialog over the current page (nil closes it).
type modalMsg struct{ modal Component }

// errMsg reports a failed load of a page.
type errMsg struct {
	page int
	gen  int
	err  error
}

func cmdOf(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

func push(p Page) tea.Cmd { return cmdOf(pushMsg{p}) }

// jump asks the root to replace the pages above the first one by p.
func jump(p Page) tea.Cmd { return cmdOf(jumpMsg{p}) }

func toast(ok bool, s string) tea.Cmd { return cmdOf(toastMsg{ok: ok, text: s}) }
