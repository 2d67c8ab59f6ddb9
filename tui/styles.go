package tui

import "github.com/charmbracelet/lipgloss"

// Styles are every style the console draws with, built from one session's
// renderer so each SSH client gets its own colour profile (and NO_COLOR is
// honoured through that profile).
type Styles struct {
	App        lipgloss.Style
	Header     lipgloss.Style
	Brand      lipgloss.Style
	Crumb      lipgloss.Style
	CrumbSep   lipgloss.Style
	Footer     lipgloss.Style
	Title      lipgloss.Style
	Subtle     lipgloss.Style
	Selected   lipgloss.Style
	ColHeader  lipgloss.Style
	Tile       lipgloss.Style
	TileFocus  lipgloss.Style
	Big        lipgloss.Style
	Good       lipgloss.Style
	Warn       lipgloss.Style
	Bad        lipgloss.Style
	Modal      lipgloss.Style
	Danger     lipgloss.Style
	Key        lipgloss.Style
	KeyDesc    lipgloss.Style
	Input      lipgloss.Style
	Severities map[string]lipgloss.Style
}

// NewStyles builds the console styles from a renderer. Colours are adaptive
// so light and dark terminals both read well.
func NewStyles(r *lipgloss.Renderer) *Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	fg := lipgloss.AdaptiveColor{Light: "#1a1a1a", Dark: "#e6e6e6"}
	subtle := lipgloss.AdaptiveColor{Light: "#6b6b6b", Dark: "#8c8c8c"}
	accent := lipgloss.AdaptiveColor{Light: "#5a3fc0", Dark: "#a48bff"}
	good := lipgloss.AdaptiveColor{Light: "#1a7f37", Dark: "#56d364"}
	warn := lipgloss.AdaptiveColor{Light: "#9a6700", Dark: "#e3b341"}
	bad := lipgloss.AdaptiveColor{Light: "#cf222e", Dark: "#ff7b72"}
	selBg := lipgloss.AdaptiveColor{Light: "#dcd3ff", Dark: "#3b2f6b"}
	s := &Styles{
		App:       r.NewStyle().Foreground(fg),
		Header:    r.NewStyle().Foreground(fg),
		Brand:     r.NewStyle().Bold(true).Foreground(accent),
		Crumb:     r.NewStyle().Foreground(subtle),
		CrumbSep:  r.NewStyle().Foreground(subtle),
		Footer:    r.NewStyle().Foreground(subtle),
		Title:     r.NewStyle().Bold(true).Foreground(accent),
		Subtle:    r.NewStyle().Foreground(subtle),
		Selected:  r.NewStyle().Reverse(true).Background(selBg),
		ColHeader: r.NewStyle().Bold(true).Foreground(subtle),
		Tile:      r.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(subtle).Padding(0, 1),
		TileFocus: r.NewStyle().Border(lipgloss.ThickBorder()).BorderForeground(accent).Padding(0, 1),
		Big:       r.NewStyle().Bold(true),
		Good:      r.NewStyle().Foreground(good),
		Warn:      r.NewStyle().Foreground(warn),
		Bad:       r.NewStyle().Foreground(bad),
		Modal:     r.NewStyle().Border(lipgloss.DoubleBorder()).BorderForeground(accent).Padding(0, 1),
		Danger:    r.NewStyle().Bold(true).Foreground(bad),
		Key:       r.NewStyle().Bold(true).Foreground(accent),
		KeyDesc:   r.NewStyle().Foreground(subtle),
		Input:     r.NewStyle().Foreground(fg),
	}
	s.Severities = map[string]lipgloss.Style{
		"critical": r.NewStyle().Bold(true).Foreground(bad),
		"high":     r.NewStyle().Foreground(bad),
		"medium":   r.NewStyle().Foreground(warn),
		"low":      r.NewStyle().Foreground(subtle),
	}
	return s
}

// Choice draws a button; the chosen one is bracketed (visible without
// colour) and highlighted.
func (s *Styles) Choice(label string, on bool) string {
	if on {
		return s.Selected.Render("[" + label + "]")
	}
	return " " + label + " "
}

// Severity styles a severity word.
func (s *Styles) Severity(sev string) string {
	if st, ok := s.Severities[sev]; ok {
		return st.Render(text(sev))
	}
	return text(sev)
}

// Percent styles a compliance percentage by how good it is.
func (s *Styles) Percent(p int) string {
	str := itoa(p) + "%"
	switch {
	case p >= 90:
		return s.Good.Render(str)
	case p >= 70:
		return s.Warn.Render(str)
	default:
		return s.Bad.Render(str)
	}
}
