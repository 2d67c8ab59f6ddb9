package tui

import (
	"log"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/groups"
)

// MinWidth and MinHeight are the smallest terminal the console draws in.
const (
	MinWidth  = 80
	MinHeight = 24
)

// Options configure one console session.
type Options struct {
	Renderer  *lipgloss.Renderer  // the session's renderer (per SSH client)
	ReadOnly  bool                // no fix, exception, edit or scan actions
	Keys      map[string][]string // rebinding from config: action -> keys
	Logger    *log.Logger         // a file; never the terminal
	Now       func() time.Time    // clock (tests fix it)
	StartPage string              // dashboard (default), assets, policies, violations, exceptions, groups, scans
	ScanEvery time.Duration       // the config schedule: a background scan this often while open (0: off)
	// AfterLoad, when set, is called off the UI goroutine each time a page's
	// data or the search index has loaded; it must return at once. The
	// entry point uses it to hand the loads' garbage back to the OS.
	AfterLoad func()
}

// Model is the root of the console: a page stack with header, breadcrumbs,
// footer and one overlay (palette, picker, help or a dialog) at a time.
type Model struct {
	c        *common
	stack    []Page
	overlay  Component
	tasks    taskArea
	scan     *scanTask
	every    time.Duration // scheduled scans
	lastScan time.Time
	width    int
	height   int
	start    string
	osc      string // an OSC52 sequence the next frame carries (y copies)
	oscN     int
	seenGen  uint64      // the backend's change count the pages show (live.go)
	remote   *remoteScan // a scan another session or the schedule runs
}

// New builds the console over a backend.
func New(b Backend, o Options) tea.Model {
	if o.Now == nil {
		o.Now = time.Now
	}
	keys := DefaultKeyMap()
	c := &common{
		b: b, r: o.Renderer, st: NewStyles(o.Renderer), keys: keys, log: o.Logger,
		now: o.Now, readOnly: o.ReadOnly || b.ReadOnly(), group: groups.All, afterLoad: o.AfterLoad,
	}
	if unknown := keys.Rebind(o.Keys); len(unknown) > 0 {
		c.logf("console: unknown key actions in config: %s", strings.Join(unknown, ", "))
	}
	if c.readOnly {
		keys.DisableWrites("read-only session")
	}
	if r, ok := b.(interface{ Actor() asset.Actor }); ok && !c.readOnly {
		disableForRole(keys, r.Actor())
	}
	m := &Model{c: c, tasks: newTaskArea(c), start: o.StartPage, every: o.ScanEvery}
	m.stack = []Page{m.pageByName(o.StartPage)}
	return m
}

// pageByName builds a top-level page; unknown names give the dashboard.
func (m *Model) pageByName(name string) Page {
	if p := pageFor(m.c, name); p != nil {
		return p
	}
	return newDashboard(m.c)
}

// Init loads the first page and the last scan time.
func (m *Model) Init() tea.Cmd {
	m.markSeen()
	return tea.Batch(m.stack[0].Init(), m.loadLastScan(), m.scheduleTick(), m.liveTick())
}

func (m *Model) loadLastScan() tea.Cmd {
	b := m.c.b
	return func() tea.Msg { return lastScanMsg{b.LastScanAt()} }
}

type lastScanMsg struct{ at time.Time }

func (m *Model) top() Page { return m.stack[len(m.stack)-1] }

// Update routes keys to the overlay, the top page or the global bindings,
// and every other message to all pages (they drop what is not theirs).
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			return m, m.typeRunes(msg)
		}
		if msg.Type == tea.KeyEsc && msg.Alt {
			// Two esc in one read arrive as alt+esc: press esc twice.
			one := tea.KeyMsg{Type: tea.KeyEsc}
			return m, tea.Batch(m.key(one), m.key(one))
		}
		return m, m.key(msg)
	case pushMsg:
		return m, m.pushPage(msg.page)
	case jumpMsg:
		return m, m.jumpTo(msg.page)
	case popMsg:
		m.pop()
		return m, nil
	case modalMsg:
		m.overlay = msg.modal
		if m.overlay != nil {
			m.overlay.SetSize(m.width, m.height)
			return m, m.overlay.Init()
		}
		return m, nil
	case switchGroupMsg:
		return m, m.switchGroup(msg.name)
	case groupRenamedMsg:
		return m, m.groupRenamed(msg.from, msg.to)
	case toastMsg:
		return m, m.tasks.toast(msg.ok, msg.text)
	case taskStartMsg:
		m.tasks.running[msg.id] = msg.label
		return m, m.tasks.spin.Tick
	case taskDoneMsg:
		return m, m.tasks.finish(msg.id, msg.ok, msg.text)
	case actionDoneMsg:
		return m, tea.Batch(m.tasks.toast(true, msg.text), cmdOf(refreshMsg{}))
	case groupDeletedMsg:
		return m, m.groupDeleted(msg.name)
	case copyMsg:
		return m, m.copyToClipboard(msg.text, msg.note)
	case copyClearMsg:
		if msg.n == m.oscN {
			m.osc = ""
		}
		return m, nil
	case lastScanMsg:
		m.lastScan = msg.at
		return m, nil
	case startScanMsg:
		return m, m.startScan()
	case scheduleMsg:
		return m, m.onSchedule()
	case scanProgressMsg, scanDoneMsg:
		return m, m.updateScan(msg)
	case refreshMsg:
		m.markSeen()
		return m, tea.Batch(m.broadcast(msg), m.loadLastScan())
	case liveTickMsg:
		return m, m.onLiveTick(msg)
	case exceptionAddedMsg:
		if msg.err != nil {
			return m, m.tasks.toast(false, "exception not saved: "+msg.err.Error())
		}
		return m, tea.Batch(m.tasks.toast(true, "exception added until "+msg.e.Expires.UTC().Format("2006-01-02")), cmdOf(refreshMsg{}))
	case fixAppliedMsg:
		return m, tea.Batch(m.fixDone(msg), m.broadcast(msg), cmdOf(refreshMsg{}))
	case tea.MouseMsg:
		return m, m.mouse(msg)
	case undoneMsg:
		return m, tea.Batch(m.undoDone(msg), cmdOf(refreshMsg{}))
	case exportMsg:
		return m, m.export(msg)
	case bulkDoneMsg:
		return m, tea.Batch(m.tasks.finish(msg.task, msg.ok, msg.text), m.broadcast(msg), cmdOf(refreshMsg{}))
	}
	if cmd := m.tasks.Update(msg); cmd != nil {
		return m, cmd
	}
	return m, m.broadcast(msg)
}

// broadcast hands a message to every page and the overlay.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for i, p := range m.stack {
		np, cmd := p.Update(msg)
		m.stack[i] = np.(Page)
		cmds = append(cmds, cmd)
	}
	if m.overlay != nil {
		o, cmd := m.overlay.Update(msg)
		m.overlay = o.(Component)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// capturer is a page or overlay that is taking typed text.
type capturer interface{ Capturing() bool }

func (m *Model) key(k tea.KeyMsg) tea.Cmd {
	keys := m.c.keys
	if key.Matches(k, keys.ForceQuit) {
		return tea.Quit
	}
	if m.overlay != nil {
		o, cmd := m.overlay.Update(k)
		m.overlay = o.(Component)
		if c, ok := m.overlay.(interface{ Closed() bool }); ok && c.Closed() {
			m.overlay = nil
		}
		return cmd
	}
	top := m.top()
	if l, ok := top.(interface{ EscLeaves() bool }); ok && key.Matches(k, keys.Back) && l.EscLeaves() {
		m.pop()
		return nil
	}
	if c, ok := top.(capturer); ok && c.Capturing() {
		return m.toTop(k)
	}
	if action, why, off := keys.DisabledReason(k.String()); off {
		return tea.Batch(m.tasks.toast(false, why), m.auditRefusal(action))
	}
	switch {
	case key.Matches(k, keys.Back):
		if e, ok := top.(interface{ Esc() bool }); ok && e.Esc() {
			return nil
		}
		m.pop()
		return nil
	case key.Matches(k, keys.Quit):
		if len(m.stack) == 1 {
			return tea.Quit
		}
		return m.tasks.toast(false, "q quits from the first page; esc goes back")
	case key.Matches(k, keys.Help):
		return m.open(newHelpView(m.c, top))
	case key.Matches(k, keys.Palette):
		return m.open(newPalette(m.c))
	case key.Matches(k, keys.Search):
		return m.pushPage(newSearchPage(m.c)) // at once: the next keys are the query
	case key.Matches(k, keys.Group):
		return m.open(newGroupPicker(m.c))
	}
	return m.toTop(k)
}

// typeRunes handles several typed characters that arrived in one read (fast
// typing, a terminal multiplexer's send-keys, a slow SSH link) one at a
// time, as if typed apart: ":group prod" opens the palette and types the
// rest into it, "/web" opens search with "web" as the query.
func (m *Model) typeRunes(k tea.KeyMsg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(k.Runes))
	for _, r := range k.Runes {
		one := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: k.Alt}
		if r == ' ' {
			one = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}, Alt: k.Alt}
		}
		cmds = append(cmds, m.key(one))
	}
	return tea.Batch(cmds...)
}

// pushPage opens p on top of the page stack.
func (m *Model) pushPage(p Page) tea.Cmd {
	m.tasks.clearToasts()
	p.SetSize(m.bodySize())
	m.stack = append(m.stack, p)
	return p.Init()
}

func (m *Model) toTop(msg tea.Msg) tea.Cmd {
	np, cmd := m.top().Update(msg)
	m.stack[len(m.stack)-1] = np.(Page)
	return cmd
}

func (m *Model) open(o Component) tea.Cmd {
	m.overlay = o
	o.SetSize(m.width, m.height)
	return o.Init()
}

// jumpTo shows p above the first page, closing the pages between; the
// dashboard named while it is the first page just closes the others.
func (m *Model) jumpTo(p Page) tea.Cmd {
	m.tasks.clearToasts()
	m.stack = m.stack[:1]
	if _, ok := p.(*dashboard); ok {
		if _, first := m.stack[0].(*dashboard); first {
			return nil
		}
	}
	return m.pushPage(p)
}

// pop closes the top page; the first page is never closed (esc never quits).
func (m *Model) pop() {
	if len(m.stack) > 1 {
		m.stack = m.stack[:len(m.stack)-1]
		m.tasks.clearToasts()
	}
}

// switchGroup scopes the console to a group: the generation moves on so
// results still in flight for the old group are dropped, and pages reload.
func (m *Model) switchGroup(name string) tea.Cmd {
	if name == "" || name == m.c.group {
		return nil
	}
	m.c.group = name
	m.c.gen++
	m.c.touchRecent(name)
	return tea.Batch(m.broadcast(groupChangedMsg{}), m.tasks.toast(true, "group "+name))
}

// groupDeleted follows a deletion: a console scoped to the deleted group
// moves to all and says so, instead of showing a group that is gone.
func (m *Model) groupDeleted(name string) tea.Cmd {
	if m.c.group != name {
		return tea.Batch(m.tasks.toast(true, "group "+name+" deleted"), cmdOf(refreshMsg{}))
	}
	m.c.group = groups.All
	m.c.gen++
	return tea.Batch(m.tasks.toast(true, "group "+name+" deleted; now showing all"), m.broadcast(groupChangedMsg{}))
}

// groupRenamed follows a rename: the recently used list takes the new
// name, and a console scoped to the old (now missing) group moves to the
// new one instead of failing to load it.
func (m *Model) groupRenamed(from, to string) tea.Cmd {
	m.c.renameRecent(from, to)
	done := m.tasks.toast(true, "group "+from+" renamed to "+to)
	if m.c.group != from {
		return tea.Batch(done, cmdOf(refreshMsg{}))
	}
	m.c.group = to
	m.c.gen++
	return tea.Batch(done, m.broadcast(groupChangedMsg{}))
}

func (m *Model) bodySize() (int, int) {
	return m.width, m.height - 4
}

func (m *Model) resize() {
	w, h := m.bodySize()
	for _, p := range m.stack {
		p.SetSize(w, h)
	}
	if m.overlay != nil {
		m.overlay.SetSize(m.width, m.height)
	}
}

// undoDone ends an undo task with the right toast.
func (m *Model) undoDone(msg undoneMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		m.c.logf("undo failed: %v", msg.err)
		return m.tasks.finish(msg.task, false, "undo failed: "+msg.err.Error())
	case msg.rec != nil && msg.rec.Status != fix.RecordUndone:
		return m.tasks.finish(msg.task, false, "undo "+msg.rec.Status+": "+msg.rec.Error)
	}
	return m.tasks.finish(msg.task, true, "fix undone; its violation is judged again")
}

// fixDone ends a fix task with the right toast.
func (m *Model) fixDone(msg fixAppliedMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		m.c.logf("fix of %s failed: %v", msg.violationID, msg.err)
		return m.tasks.finish(msg.task, false, "fix failed: "+msg.err.Error())
	case msg.rec != nil && msg.rec.Status != fix.RecordApplied:
		return m.tasks.finish(msg.task, false, "fix "+msg.rec.Status+": "+msg.rec.Error)
	}
	return m.tasks.finish(msg.task, true, "fix applied")
}
