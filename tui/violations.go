package tui

import (
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

// defaultViolationFilter hides closed violations until asked for.
const defaultViolationFilter = "!status:closed"

// violationsPage lists a group's violations, worst first. F filters by any
// column (severity:, status:, policy:, type:, account:, region:, category:);
// enter opens the asset, f plans a fix, e adds an exception.
type violationsPage struct {
	base
	items []rules.Violation
	names map[string]string // policy ID -> name
	tbl   *table
	// initial is the filter the page opened with (a tile's or a link's);
	// esc returns to it before it closes the page.
	initial string
}

func newViolationsPage(c *common, filter string) *violationsPage {
	p := &violationsPage{base: newBase(c)}
	p.tbl = newTable(c, []column{
		{title: "Severity", width: 9, less: func(a, b int) bool {
			return rules.SeverityRank(p.items[a].Severity) < rules.SeverityRank(p.items[b].Severity)
		}},
		{title: "Status", width: 7, less: func(a, b int) bool { return statusRank(p.items[a].Status) < statusRank(p.items[b].Status) }},
		{title: "Age", width: 5, less: func(a, b int) bool { return p.items[a].OpenedAt.After(p.items[b].OpenedAt) }},
		{title: "Policy", width: 14, flex: true},
		{title: "Asset", width: 12, flex: true}, {title: "Message", width: 16, flex: true, hideBelow: 110},
		{title: "Type", width: 14}, {title: "Account", width: 12, hideBelow: 100},
		{title: "Region", width: 14, hideBelow: 100}, {title: "Category", width: 10, hideBelow: 150},
	})
	p.tbl.multi = true
	p.tbl.key = func(i int) string { return p.items[i].ID }
	p.tbl.match = func(i int) []string { // type: matches the full type name too (aws.s3.bucket)
		v := &p.items[i]
		pol := v.PolicyID + " " + p.names[v.PolicyID]
		return []string{v.Severity, v.Status, age(c.now(), v.OpenedAt), pol, v.AssetName, v.Message, v.AssetType,
			v.Account, v.Region, v.Category}
	}
	p.tbl.paint = func(i, col int, s string) string {
		if col == 0 {
			if st, ok := c.st.Severities[p.items[i].Severity]; ok {
				return st.Render(s)
			}
		}
		return s
	}
	p.tbl.empty = "no violations"
	p.initial = strings.TrimSpace(defaultViolationFilter + " " + filter)
	p.tbl.SetFilter(p.initial)
	return p
}

// Title is the breadcrumb of the page.
func (p *violationsPage) Title() string { return "Violations" }

type violationsData struct {
	items []rules.Violation
	names map[string]string
}

// Init starts the first load.
func (p *violationsPage) Init() tea.Cmd {
	b, group := p.c.b, p.c.group
	return p.load(func() (any, error) {
		// Open and exempt violations come from the live rows (compact,
		// without history), closed ones from their full records. The list
		// shows no history (the asset's page loads it): at 442k open
		// violations the full records held twice the memory.
		live, err := b.Violations(group, db.ViolationFilter{Status: []string{rules.StatusOpen, rules.StatusExempt}})
		if err != nil {
			return nil, err
		}
		closed, err := b.Violations(group, db.ViolationFilter{Status: []string{rules.StatusClosed}})
		if err != nil {
			return nil, err
		}
		// A new slice, sorted below: never reorder the backend's.
		vs := make([]rules.Violation, 0, len(live)+len(closed))
		vs = append(append(vs, live...), closed...)
		for i := range vs {
			vs[i].History = nil
		}
		sortViolations(vs)
		names := map[string]string{}
		for _, pol := range b.Policies() {
			names[pol.ID] = pol.Name
		}
		return violationsData{vs, names}, nil
	})
}

// statusRank orders statuses by what still needs work: open, then exempt
// (accepted for now), then closed.
func statusRank(status string) int {
	switch status {
	case rules.StatusOpen:
		return 0
	case rules.StatusExempt:
		return 1
	case rules.StatusClosed:
		return 3
	}
	return 2
}

func sortViolations(vs []rules.Violation) {
	sort.SliceStable(vs, func(i, j int) bool {
		a, b := &vs[i], &vs[j]
		if ra, rb := statusRank(a.Status), statusRank(b.Status); ra != rb {
			return ra < rb
		}
		if ra, rb := rules.SeverityRank(a.Severity), rules.SeverityRank(b.Severity); ra != rb {
			return ra < rb
		}
		if a.PolicyID != b.PolicyID {
			return a.PolicyID < b.PolicyID
		}
		return a.AssetName < b.AssetName
	})
}

func (p *violationsPage) setItems(d violationsData) {
	p.items, p.names = d.items, d.names
	p.tbl.SetRows(len(p.items), func(i int) []string {
		v := &p.items[i]
		pol := v.PolicyID
		if n := p.names[v.PolicyID]; n != "" {
			pol = v.PolicyID + " " + n
		}
		return []string{v.Severity, v.Status, age(p.c.now(), v.OpenedAt), pol, v.AssetName, v.Message,
			strings.TrimPrefix(v.AssetType, "aws."), v.Account, v.Region, v.Category}
	})
}

func (p *violationsPage) selected() *rules.Violation {
	if i := p.tbl.Selected(); i >= 0 {
		return &p.items[i]
	}
	return nil
}

// Update handles results and keys.
func (p *violationsPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if d, ok := p.accept(msg); ok {
		p.setItems(d.(violationsData))
		return p, nil
	}
	switch msg := msg.(type) {
	case groupChangedMsg, refreshMsg:
		return p, p.Init()
	case fixAppliedMsg:
		if msg.err == nil && msg.rec != nil && msg.rec.Status == fix.RecordApplied {
			for i := range p.items {
				if p.items[i].ID == msg.violationID {
					p.items[i].Status = rules.StatusClosed
				}
			}
		}
		return p, nil
	case bulkDoneMsg:
		p.tbl.ClearMarks()
		return p, nil
	case tea.KeyMsg:
		if used, cmd := p.tbl.Update(msg); used {
			return p, cmd
		}
		if cmd, ok := p.bulkKeys(msg); ok {
			return p, cmd
		}
		return p, violationKeys(p.c, msg, p.selected())
	}
	return p, nil
}

// bulkKeys runs f and e on the selection when there is one.
func (p *violationsPage) bulkKeys(msg tea.KeyMsg) (tea.Cmd, bool) {
	marked := p.tbl.Marked()
	if len(marked) == 0 {
		return nil, false
	}
	k := p.c.keys
	fixing := key.Matches(msg, k.Fix)
	if !fixing && !key.Matches(msg, k.Exception) {
		return nil, false
	}
	vs := make([]rules.Violation, len(marked))
	for j, i := range marked {
		vs[j] = p.items[i]
	}
	return cmdOf(modalMsg{newBulkDialog(p.c, fixing, vs)}), true
}

// violationKeys handles the actions on one violation shared by the
// violations list and the asset page.
func violationKeys(c *common, msg tea.KeyMsg, v *rules.Violation) tea.Cmd {
	if v == nil {
		return nil
	}
	k := c.keys
	switch {
	case key.Matches(msg, k.Open):
		return push(newAssetPage(c, v.AssetID))
	case key.Matches(msg, k.Console):
		return openConsole(v.AssetType, v.AssetID, v.AssetName, v.Region, v.Account)
	case key.Matches(msg, k.Fix):
		if v.Status == rules.StatusClosed {
			return toast(false, "this violation is already closed")
		}
		return cmdOf(modalMsg{newFixModal(c, *v)})
	case key.Matches(msg, k.Exception):
		if v.Status != rules.StatusOpen {
			return toast(false, "only open violations take an exception")
		}
		return cmdOf(modalMsg{newExceptionForm(c, *v)})
	}
	return nil
}

// Capturing reports whether typed text goes to an input.
func (p *violationsPage) Capturing() bool { return p.tbl.Capturing() }

// Esc clears a filter the operator applied (returning to the one the page
// opened with) before esc closes the page.
func (p *violationsPage) Esc() bool {
	if p.tbl.ClearMarks() {
		return true
	}
	if p.tbl.filterText != p.initial {
		p.tbl.SetFilter(p.initial)
		return true
	}
	return false
}

// SetSize fits the component to its box.
func (p *violationsPage) SetSize(w, h int) {
	p.base.SetSize(w, h)
	p.tbl.SetSize(w, h-1)
}

// ShortHelp lists the footer key hints.
func (p *violationsPage) ShortHelp() []key.Binding {
	k := p.c.keys
	return p.listHelp(k.Fix, k.Exception)
}

// FullHelp lists every binding for the help overlay.
func (p *violationsPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return p.fullList(k.Fix, k.Exception, k.Mark, k.MarkAll, k.Console)
}

// View draws the component.
func (p *violationsPage) View() string {
	head := itoa(p.tbl.Len()) + " violations"
	if n := len(p.tbl.marks); n > 0 {
		head += ", " + itoa(n) + " selected (f fixes, e exempts them; esc clears)"
	} else if o := p.tbl.sortLabel(); o != "" {
		head += ", " + o
	} else {
		head += "  (F to filter, e.g. severity:high policy:s3 !exempt; space selects)"
	}
	head = p.c.st.Subtle.Render(fit(head, p.width))
	if s := p.status(); s != "" {
		head = s
	}
	return head + "\n" + p.tbl.View()
}
