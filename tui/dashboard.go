package tui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

// dashData is everything the home page shows, computed off the UI goroutine.
type dashData struct {
	scores   rules.Scores
	trend    []rules.TrendPoint
	bySev    map[string]int
	open     int
	assets   int
	untagged int
	byType   map[string]int
	scans    []asset.Scan
	fixes    []fix.Record
}

// dashboard is the home page: compliance first, then trend, open
// violations, worst policies, tagging, asset counts and recent activity.
// Every tile is focusable with tab and opens its page with enter.
type dashboard struct {
	base
	data  *dashData
	focus int
}

// Dashboard tiles, in tab order.
const (
	tileCompliance = iota
	tileTrend
	tileViolations
	tileWorst
	tileTagging
	tileAssets
	tileActivity
	tileCount
)

func newDashboard(c *common) *dashboard { return &dashboard{base: newBase(c)} }

// Title is the breadcrumb of the page.
func (d *dashboard) Title() string { return "Dashboard" }

// Init starts the first load.
func (d *dashboard) Init() tea.Cmd {
	b, group, domain, since := d.c.b, d.c.group, d.c.domain, d.c.now().AddDate(0, 0, -90)
	return d.load(func() (any, error) { return loadDash(b, group, domain, since) })
}

// dashStatser is a backend that computes a group's dashboard numbers
// itself, possibly from a saved copy (cycle.Backend does); others get them
// counted from their scores, violations and summaries.
type dashStatser interface {
	DashStats(group, domain string) (cycle.DashStats, error)
}

func dashStats(b Backend, group, domain string) (cycle.DashStats, error) {
	if ds, ok := b.(dashStatser); ok {
		return ds.DashStats(group, domain)
	}
	return cycle.CountDashStats(b, group, domain)
}

func loadDash(b Backend, group, domain string, since time.Time) (*dashData, error) {
	ds, err := dashStats(b, group, domain)
	if err != nil {
		return nil, err
	}
	tr, err := b.Trend(group, domain, since)
	if err != nil {
		return nil, fmt.Errorf("trend of group %s: %w", group, err)
	}
	scans, err := b.Scans(4)
	if err != nil {
		return nil, fmt.Errorf("scans: %w", err)
	}
	fixes, err := b.FixRecords(4)
	if err != nil {
		return nil, fmt.Errorf("fix records: %w", err)
	}
	return &dashData{scores: ds.Scores, trend: tr, bySev: ds.BySev, byType: ds.ByType,
		scans: scans, fixes: fixes, open: ds.Open, assets: ds.Assets, untagged: ds.Untagged}, nil
}

// Update handles results and keys.
func (d *dashboard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if v, ok := d.accept(msg); ok {
		d.data = v.(*dashData)
		return d, nil
	}
	switch msg := msg.(type) {
	case groupChangedMsg, refreshMsg:
		return d, d.Init()
	case tea.KeyMsg:
		k := d.c.keys
		switch {
		case key.Matches(msg, k.Next), key.Matches(msg, k.Down):
			d.focus = (d.focus + 1) % tileCount
		case key.Matches(msg, k.Prev), key.Matches(msg, k.Up):
			d.focus = (d.focus + tileCount - 1) % tileCount
		case key.Matches(msg, k.Open):
			return d, push(d.tilePage(d.focus))
		case key.Matches(msg, k.Scan):
			return d, cmdOf(startScanMsg{})
		}
	}
	return d, nil
}

// tilePage is the page a tile opens.
func (d *dashboard) tilePage(t int) Page {
	switch t {
	case tileViolations:
		// The tile counts open violations; its list shows the same ones
		// (exempt ones are a filter edit away).
		return newViolationsPage(d.c, "status:open")
	case tileTagging:
		return newViolationsPage(d.c, "category:tagging")
	case tileAssets:
		return newAssetsPage(d.c)
	case tileActivity:
		return newScansPage(d.c)
	case tileWorst:
		p := newPoliciesPage(d.c)
		p.tbl.sort = sortState{col: 0} // compliance, lowest first
		return p
	default:
		return newPoliciesPage(d.c)
	}
}

// ShortHelp lists the footer key hints.
func (d *dashboard) ShortHelp() []key.Binding {
	k := d.c.keys
	return []key.Binding{k.Next, k.Open, k.Search, k.Group, k.Palette, k.Scan, k.Help, k.Quit}
}

// FullHelp lists every binding for the help overlay.
func (d *dashboard) FullHelp() [][]key.Binding {
	k := d.c.keys
	return [][]key.Binding{{k.Next, k.Prev, k.Open, k.Scan}}
}

// View draws the component.
func (d *dashboard) View() string {
	if d.data == nil {
		return d.status()
	}
	w, h := d.width, d.height
	h1 := max(8, h*2/5)
	h2 := max(7, (h-h1)/2)
	h3 := h - h1 - h2
	leftW := max(36, w*2/5)
	third := w / 3
	row1 := lipgloss.JoinHorizontal(lipgloss.Top,
		d.tile(tileCompliance, "Compliance", d.complianceBody(leftW-4, h1-3), leftW, h1),
		d.tile(tileTrend, "Trend (90 days)", d.trendBody(w-leftW-4, h1-3), w-leftW, h1))
	row2 := lipgloss.JoinHorizontal(lipgloss.Top,
		d.tile(tileViolations, "Open violations", d.sevBody(third-4), third, h2),
		d.tile(tileWorst, "Worst policies", d.worstBody(third-4, h2-3), third, h2),
		d.tile(tileTagging, "Tagging", d.taggingBody(), w-2*third, h2))
	half := w / 2
	row3 := lipgloss.JoinHorizontal(lipgloss.Top,
		d.tile(tileAssets, "Assets", d.assetsBody(half-4, h3-3), half, h3),
		d.tile(tileActivity, "Recent scans and fixes", d.activityBody(w-half-4, h3-3), w-half, h3))
	out := row1 + "\n" + row2 + "\n" + row3
	if s := d.status(); s != "" && d.err != nil {
		out = s + "\n" + out
	}
	return out
}

// tile draws a bordered, titled box of exactly w×h cells.
func (d *dashboard) tile(id int, title, body string, w, h int) string {
	st := d.c.st
	style := st.Tile
	if id == d.focus {
		style = st.TileFocus
	}
	inner := st.Title.Render(title) + "\n" + body
	return style.Width(w - 2).Height(h - 2).Render(clip(inner, w-4, h-2))
}
