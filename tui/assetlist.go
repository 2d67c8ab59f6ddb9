package tui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/asset"
)

// assetListPage lists a group's assets (optionally narrowed by a predicate);
// enter opens the asset. Only the visible window is drawn.
type assetListPage struct {
	base
	title string
	pred  func(*asset.Summary) bool
	items []asset.Summary
	tbl   *table
}

func newAssetListPage(c *common, title string, pred func(*asset.Summary) bool) *assetListPage {
	p := &assetListPage{base: newBase(c), title: title, pred: pred}
	p.tbl = newTable(c, []column{
		{title: "Name", width: 24, flex: true}, {title: "Type", width: 24},
		{title: "Account", width: 12}, {title: "Region", width: 14}, {title: "Tags", width: 5, hideBelow: 100},
	})
	p.tbl.key = func(i int) string { return p.items[i].ID }
	p.tbl.empty = "no assets"
	return p
}

// Title is the breadcrumb of the page.
func (p *assetListPage) Title() string { return p.title }

// Init starts the first load.
func (p *assetListPage) Init() tea.Cmd {
	b, group, pred := p.c.b, p.c.group, p.pred
	return p.load(func() (any, error) {
		all, err := b.Summaries(group)
		if err != nil {
			return nil, err
		}
		// Sort an index, then copy in order: cheaper than moving 100k
		// structs, and the backend's own slice (it may be shared) is untouched.
		idx := make([]int32, 0, len(all))
		for i := range all {
			if pred == nil || pred(&all[i]) {
				idx = append(idx, int32(i))
			}
		}
		slices.SortFunc(idx, func(a, b int32) int {
			x, y := &all[a], &all[b]
			if c := strings.Compare(x.Type, y.Type); c != 0 {
				return c
			}
			if c := strings.Compare(x.Name, y.Name); c != 0 {
				return c
			}
			return strings.Compare(x.ID, y.ID)
		})
		items := make([]asset.Summary, len(idx))
		for i, j := range idx {
			items[i] = all[j]
		}
		return items, nil
	})
}

// setItems installs rows (used by loads and by benchmarks).
func (p *assetListPage) setItems(items []asset.Summary) {
	p.items = items
	p.tbl.SetRows(len(items), func(i int) []string {
		s := &items[i]
		return []string{s.Name, s.Type, s.Account, s.Region, itoa(s.Tags.Len())}
	})
}

// Update handles results and keys.
func (p *assetListPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if d, ok := p.accept(msg); ok {
		p.setItems(d.([]asset.Summary))
		return p, nil
	}
	switch msg := msg.(type) {
	case groupChangedMsg, refreshMsg:
		return p, p.Init()
	case tea.KeyMsg:
		if used, cmd := p.tbl.Update(msg); used {
			return p, cmd
		}
		if i := p.tbl.Selected(); i >= 0 {
			s := &p.items[i]
			switch {
			case key.Matches(msg, p.c.keys.Open):
				return p, push(newAssetPage(p.c, s.ID))
			case key.Matches(msg, p.c.keys.Console):
				return p, openConsole(s.Type, s.ID, s.Name, s.Region, s.Account)
			}
		}
	}
	return p, nil
}

// Capturing reports whether typed text goes to an input.
func (p *assetListPage) Capturing() bool { return p.tbl.Capturing() }

// Esc clears an applied filter before esc closes the page.
func (p *assetListPage) Esc() bool {
	if p.tbl.filterText != "" {
		p.tbl.SetFilter("")
		return true
	}
	return false
}

// SetSize fits the component to its box.
func (p *assetListPage) SetSize(w, h int) {
	p.base.SetSize(w, h)
	p.tbl.SetSize(w, h-1)
}

// ShortHelp lists the footer key hints.
func (p *assetListPage) ShortHelp() []key.Binding { return p.listHelp(p.c.keys.Console) }

// FullHelp lists every binding for the help overlay.
func (p *assetListPage) FullHelp() [][]key.Binding { return p.fullList(p.c.keys.Console) }

// View draws the component.
func (p *assetListPage) View() string {
	head := p.c.st.Subtle.Render(itoa(p.tbl.Len()) + " assets")
	if s := p.status(); s != "" {
		head = s
	}
	return head + "\n" + p.tbl.View()
}
