package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

// View draws header, breadcrumbs, the top page (or the overlay over it) and
// the footer; or a clear note when the terminal is too small.
func (m *Model) View() string {
	if m.width == 0 {
		return ""
	}
	if m.width < MinWidth || m.height < MinHeight {
		msg := "terminal too small (need " + itoa(MinWidth) + "×" + itoa(MinHeight) +
			", have " + itoa(m.width) + "×" + itoa(m.height) + ")"
		return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, m.c.st.Warn.Render(msg))
	}
	w, h := m.bodySize()
	body := m.top().View()
	if m.overlay != nil {
		body = lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, m.overlay.View(),
			lipgloss.WithWhitespaceChars(" "))
	}
	return m.osc + strings.Join([]string{m.header(), m.crumbs(), clip(body, w, h), m.footer()}, "\n")
}

func (m *Model) header() string {
	st := m.c.st
	dom := m.c.domain
	if dom == "" {
		dom = "cloud"
	}
	left := st.Brand.Render("vigil") + st.Subtle.Render("  group ") + text(m.c.group) +
		st.Subtle.Render("  domain ") + dom
	if m.c.readOnly {
		left += st.Warn.Render("  read-only")
	}
	right := st.Subtle.Render("scanned " + ago(m.c.now(), m.lastScan))
	if m.scan != nil {
		right = m.scan.status(st)
	} else if m.remote != nil {
		right = m.remote.status(st)
	}
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		gap = 1
	}
	return fit(left+strings.Repeat(" ", gap)+right, m.width)
}

// crumbs is the page stack as a breadcrumb. When it is too wide the oldest
// crumbs give way to "…" first, so the current page keeps its name.
func (m *Model) crumbs() string {
	st := m.c.st
	sep := st.CrumbSep.Render(" › ")
	parts := make([]string, len(m.stack))
	for i, p := range m.stack {
		t := text(p.Title())
		if i == len(m.stack)-1 {
			parts[i] = st.Title.Render(t)
		} else {
			parts[i] = st.Crumb.Render(t)
		}
	}
	line := strings.Join(parts, sep)
	for drop := 1; lipgloss.Width(line) > m.width && drop < len(parts); drop++ {
		line = st.Crumb.Render("…") + sep + strings.Join(parts[drop:], sep)
	}
	return fit(line, m.width)
}

func (m *Model) footer() string {
	var src interface{ ShortHelp() []key.Binding } = m.top()
	if m.overlay != nil {
		src = m.overlay
	}
	bs := src.ShortHelp()
	if m.overlay != nil {
		return fit(shortHelp(m.c, bs), m.width) + "\n" + fit(m.tasks.View(), m.width)
	}
	// The way out and the way to help always show, however narrow: the
	// page's hints give way first.
	k := m.c.keys
	global := []key.Binding{k.Help, k.Quit}
	if len(m.stack) > 1 { // q quits only from the first page
		global = []key.Binding{k.Back, k.Help}
	}
	page := make([]key.Binding, 0, len(bs))
	for _, b := range bs {
		if b.Help().Key != k.Help.Help().Key && b.Help().Key != k.Quit.Help().Key && b.Help().Key != k.Back.Help().Key {
			page = append(page, b)
		}
	}
	hints, g := shortHelp(m.c, page), shortHelp(m.c, global)
	room := m.width - lipgloss.Width(g) - 3
	switch {
	case hints == "" || room < 10:
		hints = g
	case lipgloss.Width(hints) > room:
		hints = fit(hints, room) + m.c.st.Subtle.Render(" · ") + g
	default:
		hints += m.c.st.Subtle.Render(" · ") + g
	}
	return fit(hints, m.width) + "\n" + fit(m.tasks.View(), m.width)
}
