package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// Asset page sections, switched with tab.
const (
	secOverview = iota
	secAttributes
	secViolations
	secRelated
	secFixes
	secChanges
	secCount
)

func sectionNames() []string {
	return []string{"Overview", "Attributes", "Violations", "Related", "Fixes", "Changes"}
}

// assetData is everything about one asset.
type assetData struct {
	a          *asset.Asset
	violations []rules.Violation
	exceptions []rules.Exception
	related    []asset.Summary
	fixes      []fix.Record
	evaluated  int // policies that apply to the asset's type
	changes    []cycle.AssetHistoryEntry
	changesErr error // why the Changes tab is empty (no history kept)
}

// assetPage is the asset 360: overview, attributes (tree or raw JSON),
// violations with history and exceptions, related assets and fixes.
type assetPage struct {
	base
	assetID string
	data    *assetData
	sec     int
	tree    *attrTree
	raw     bool
	rawOff  int
	viols   *table
	rel     *table
	fixes   *table
	chOff   int // first line shown of the Changes tab
}

func newAssetPage(c *common, id string) *assetPage {
	p := &assetPage{base: newBase(c), assetID: id}
	p.viols = newTable(c, []column{{title: "Severity", width: 8}, {title: "Status", width: 7},
		{title: "Policy", width: 20, flex: true}, {title: "Opened", width: 16}, {title: "Reason", width: 16, flex: true}})
	p.viols.key = func(i int) string { return p.data.violations[i].ID }
	p.rel = newTable(c, []column{{title: "Name", width: 20, flex: true}, {title: "Type", width: 24}, {title: "Region", width: 14}})
	p.fixes = newTable(c, []column{{title: "At", width: 16}, {title: "Action", width: 20, flex: true},
		{title: "Status", width: 8}, {title: "By", width: 12}})
	return p
}

// newAssetViolationPage opens an asset on its Violations section with the
// cursor on violation vid (what enter on a violation search hit opens).
func newAssetViolationPage(c *common, assetID, vid string) *assetPage {
	p := newAssetPage(c, assetID)
	p.sec = secViolations
	p.viols.selKey = vid
	return p
}

// Title is the breadcrumb of the page.
func (p *assetPage) Title() string {
	if p.data != nil && p.data.a != nil {
		return p.data.a.Name
	}
	return "Asset"
}

// Init starts the first load.
func (p *assetPage) Init() tea.Cmd {
	b, id := p.c.b, p.assetID
	return p.load(func() (any, error) { return loadAsset(b, id) })
}

func loadAsset(b Backend, id string) (*assetData, error) {
	a, err := b.Asset(id)
	if err != nil {
		return nil, fmt.Errorf("asset %s: %w", id, err)
	}
	d := &assetData{a: a}
	vs, err := b.Violations(groups.All, db.ViolationFilter{AssetID: id})
	if err != nil {
		return nil, fmt.Errorf("violations of %s: %w", id, err)
	}
	d.violations = append([]rules.Violation(nil), vs...)
	sortViolations(d.violations)
	exs, err := b.Exceptions()
	if err != nil {
		return nil, fmt.Errorf("exceptions: %w", err)
	}
	mine := map[string]bool{}
	for _, v := range d.violations {
		mine[v.ID] = true
		if v.ExceptionID != "" {
			mine[v.ExceptionID] = true
		}
	}
	for _, e := range exs {
		if mine[e.ID] || (e.ViolationID != "" && mine[e.ViolationID]) {
			d.exceptions = append(d.exceptions, e)
		}
	}
	if d.related, err = b.Related(id); err != nil {
		return nil, fmt.Errorf("related of %s: %w", id, err)
	}
	recs, err := b.FixRecords(0)
	if err != nil {
		return nil, fmt.Errorf("fix records: %w", err)
	}
	for _, r := range recs {
		if r.AssetID == id {
			d.fixes = append(d.fixes, r)
		}
	}
	d.changes, d.changesErr = loadAssetChanges(b, id)
	for _, pol := range b.Policies() {
		for _, t := range pol.Resources {
			if t == a.Type && !pol.Disabled {
				d.evaluated++
				break
			}
		}
	}
	return d, nil
}

func (p *assetPage) setData(d *assetData) {
	p.data = d
	if p.tree == nil {
		p.tree = newAttrTree(d.a.Attrs)
	} else {
		p.tree.doc = d.a.Attrs
		p.tree.rebuild()
	}
	p.viols.SetRows(len(d.violations), func(i int) []string {
		v := &d.violations[i]
		return []string{v.Severity, v.Status, v.PolicyID, shortTime(v.OpenedAt), v.Reason}
	})
	p.rel.SetRows(len(d.related), func(i int) []string {
		s := &d.related[i]
		return []string{s.Name, s.Type, s.Region}
	})
	p.fixes.SetRows(len(d.fixes), func(i int) []string {
		r := &d.fixes[i]
		return []string{shortTime(r.At), r.Action, r.Status, r.By}
	})
}

// Update handles results and keys.
func (p *assetPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if d, ok := p.accept(msg); ok {
		p.setData(d.(*assetData))
		return p, nil
	}
	switch msg := msg.(type) {
	case refreshMsg, groupChangedMsg:
		return p, p.Init()
	case tea.KeyMsg:
		if p.data == nil {
			return p, nil
		}
		return p, p.key(msg)
	}
	return p, nil
}

func (p *assetPage) key(msg tea.KeyMsg) tea.Cmd {
	k := p.c.keys
	switch {
	case key.Matches(msg, k.Next):
		p.sec = (p.sec + 1) % secCount
		return nil
	case key.Matches(msg, k.Prev):
		p.sec = (p.sec + secCount - 1) % secCount
		return nil
	case key.Matches(msg, k.Copy):
		return cmdOf(copyMsg{text: p.data.a.ID})
	case key.Matches(msg, k.Console):
		a := p.data.a
		return openConsole(a.Type, a.ID, a.Name, a.Region, a.Account)
	}
	if s := msg.String(); len(s) == 1 && s[0] >= '1' && s[0] < '1'+secCount {
		p.sec = int(s[0] - '1')
		return nil
	}
	switch p.sec {
	case secAttributes:
		h := p.height - 3
		step := 0 // each view keeps its own place: moving in one never scrolls the other
		switch {
		case key.Matches(msg, k.Toggle):
			p.raw = !p.raw
		case key.Matches(msg, k.Up):
			step = -1
		case key.Matches(msg, k.Down):
			step = 1
		case key.Matches(msg, k.PgDown):
			step = h
		case key.Matches(msg, k.PgUp):
			step = -h
		case (key.Matches(msg, k.Open) || msg.Type == tea.KeySpace) && !p.raw:
			p.tree.toggle()
		}
		switch {
		case step == 0:
		case p.raw:
			p.rawOff = max(0, min(p.rawOff+step, len(rawJSON(p.data.a.Attrs))-1))
		default:
			p.tree.move(step, h)
		}
	case secViolations:
		if used, cmd := p.viols.Update(msg); used {
			return cmd
		}
		if i := p.viols.Selected(); i >= 0 && !key.Matches(msg, k.Open) {
			return violationKeys(p.c, msg, &p.data.violations[i])
		}
	case secRelated:
		if used, cmd := p.rel.Update(msg); used {
			return cmd
		}
		if i := p.rel.Selected(); i >= 0 && key.Matches(msg, k.Open) {
			return push(newAssetPage(p.c, p.data.related[i].ID))
		}
	case secFixes:
		if used, cmd := p.fixes.Update(msg); used {
			return cmd
		}
		if i := p.fixes.Selected(); i >= 0 && key.Matches(msg, k.Undo) {
			return cmdOf(modalMsg{newUndoDialog(p.c, p.data.fixes[i].ID)})
		}
	case secChanges:
		p.changesKey(msg)
	}
	return nil
}

// Esc clears the filter of the section on show before esc closes the page.
func (p *assetPage) Esc() bool {
	switch p.sec {
	case secViolations:
		return p.viols.ClearFilter()
	case secRelated:
		return p.rel.ClearFilter()
	case secFixes:
		return p.fixes.ClearFilter()
	}
	return false
}

// Capturing is true while a section's filter has the keyboard.
func (p *assetPage) Capturing() bool {
	return p.viols.Capturing() || p.rel.Capturing() || p.fixes.Capturing()
}

// SetSize fits the component to its box.
func (p *assetPage) SetSize(w, h int) {
	p.base.SetSize(w, h)
	p.viols.SetSize(w, max(3, (h-2)/2))
	p.rel.SetSize(w, h-2)
	p.fixes.SetSize(w, h-2)
}

// ShortHelp lists the footer key hints.
func (p *assetPage) ShortHelp() []key.Binding {
	k := p.c.keys
	switch p.sec {
	case secAttributes:
		return []key.Binding{k.Next, foldKey(), k.Toggle, k.Copy}
	case secViolations:
		return []key.Binding{k.Next, k.Fix, k.Exception, k.Copy}
	case secRelated:
		return []key.Binding{k.Next, k.Open, k.Copy}
	case secFixes:
		return []key.Binding{k.Next, k.Undo, k.Copy}
	}
	return []key.Binding{k.Next, k.Copy}
}

// FullHelp lists every binding for the help overlay.
func (p *assetPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{{k.Next, k.Prev, sectionKey(), k.Copy, k.Console}, {foldKey(), k.Toggle, k.Open, k.Fix, k.Exception, k.Undo}, k.Nav()}
}

// sectionKey jumps straight to a section of the asset page.
func sectionKey() key.Binding {
	return key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6"), key.WithHelp("1-6", "section"))
}

// foldKey folds and unfolds a node of the attribute tree.
func foldKey() key.Binding {
	return key.NewBinding(key.WithKeys("enter", " "), key.WithHelp("enter/space", "fold/unfold"))
}

// View draws the component.
func (p *assetPage) View() string {
	if p.data == nil {
		return p.status()
	}
	st := p.c.st
	var tabs []string
	for i, n := range sectionNames() {
		label := itoa(i+1) + " " + n
		switch i {
		case secViolations:
			if open, all := p.openCount(), len(p.data.violations); open == all {
				label += " (" + itoa(open) + ")"
			} else {
				label += " (" + itoa(open) + " open of " + itoa(all) + ")"
			}
		case secRelated:
			label += " (" + itoa(len(p.data.related)) + ")"
		}
		if i == p.sec {
			tabs = append(tabs, st.Selected.Render("["+label+"]"))
		} else {
			tabs = append(tabs, st.Subtle.Render(" "+label+" "))
		}
	}
	h := p.height - 2
	var body string
	switch p.sec {
	case secOverview:
		body = p.overview()
	case secAttributes:
		if p.raw {
			lines := rawJSON(p.data.a.Attrs)
			p.rawOff = min(p.rawOff, max(0, len(lines)-h))
			body = strings.Join(lines[p.rawOff:min(len(lines), p.rawOff+h)], "\n")
		} else {
			body = p.tree.view(st, p.width, h)
		}
	case secViolations:
		body = p.viols.View() + "\n" + p.violationDetail()
	case secRelated:
		body = p.rel.View()
	case secFixes:
		body = p.fixes.View()
	case secChanges:
		body = p.changesView(h)
	}
	return fit(strings.Join(tabs, ""), p.width) + "\n\n" + clip(body, p.width, h)
}
