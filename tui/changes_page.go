package tui

import (
	"encoding/json"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
)

// changeRow is one line of the Changes page: an asset added, removed or
// changed, or a violation opened, closed, exempted or re-opened.
type changeRow struct {
	kind    string // "+ asset", "- asset", "~ asset", "opened", "closed", "exempted", "reopened"
	typ     string // asset type, or the violation's severity
	subject string // asset ID, or the violation's policy
	assetID string
	gone    bool // the asset no longer exists (enter does nothing)
	changes []asset.Change
	v       *cycle.ViolationRef
}

// changesPage is what changed between two scans (`vigil diff` in the
// console): assets and violations, one row each, with the attribute
// changes or the violation of the row under the cursor below.
type changesPage struct {
	splitList
	opts cycle.DiffOptions
	diff *cycle.ScanDiff
	rows []changeRow
}

// newChangesPage compares the scans of o (empty: the last two complete
// scans; To alone: the complete scan before it).
func newChangesPage(c *common, o cycle.DiffOptions) *changesPage {
	p := &changesPage{splitList: splitList{base: newBase(c)}, opts: o}
	p.tbl = newTable(c, []column{{title: "Change", width: 9}, {title: "Type", width: 24},
		{title: "Asset / policy", width: 30, flex: true, middle: true}, {title: "Detail", width: 24, flex: true}})
	p.tbl.key = func(i int) string { return p.rows[i].kind + "\x00" + p.rows[i].subject + "\x00" + p.rows[i].assetID }
	p.tbl.empty = "nothing changed between these scans"
	return p
}

// Title is the breadcrumb of the page.
func (p *changesPage) Title() string { return "Changes" }

// Init starts the first load.
func (p *changesPage) Init() tea.Cmd {
	b, o := p.c.b, p.opts
	if o.Group == "" {
		o.Group = p.c.group
	}
	return p.load(func() (any, error) {
		cb, err := changesOf(b)
		if err != nil {
			return nil, err
		}
		return cb.DiffScans(o)
	})
}

// changeRows flattens a diff into rows: assets first, then violations.
func changeRows(d *cycle.ScanDiff) []changeRow {
	var rows []changeRow
	for _, r := range d.Assets.Added {
		rows = append(rows, changeRow{kind: "+ asset", typ: r.Type, subject: r.ID, assetID: r.ID, changes: nil})
	}
	for _, r := range d.Assets.Removed {
		rows = append(rows, changeRow{kind: "- asset", typ: r.Type, subject: r.ID, assetID: r.ID, gone: true})
	}
	for _, r := range d.Assets.Changed {
		rows = append(rows, changeRow{kind: "~ asset", typ: r.Type, subject: r.ID, assetID: r.ID, changes: r.Changes})
	}
	for _, sec := range []struct {
		kind string
		rs   []cycle.ViolationRef
	}{{"opened", d.Violations.Opened}, {"closed", d.Violations.Closed},
		{"exempted", d.Violations.Exempted}, {"reopened", d.Violations.Reopened}} {
		for i := range sec.rs {
			v := &sec.rs[i]
			rows = append(rows, changeRow{kind: sec.kind, typ: v.Severity, subject: v.PolicyID, assetID: v.AssetID, v: v})
		}
	}
	return rows
}

// detail is the Detail column of a row.
func (r *changeRow) detail() string {
	switch {
	case r.v != nil:
		return r.assetID
	case len(r.changes) == 1:
		return r.changes[0].Path
	case len(r.changes) > 1:
		return itoa(len(r.changes)) + " attributes"
	}
	return ""
}

// Update handles results and keys.
func (p *changesPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if d, ok := p.accept(msg); ok {
		p.diff = d.(*cycle.ScanDiff)
		p.rows = changeRows(p.diff)
		rows := p.rows
		p.tbl.SetRows(len(rows), func(i int) []string {
			r := &rows[i]
			return []string{r.kind, r.typ, r.subject, r.detail()}
		})
		return p, nil
	}
	switch msg := msg.(type) {
	case groupChangedMsg, refreshMsg:
		return p, p.Init()
	case tea.KeyMsg:
		if used, cmd := p.tbl.Update(msg); used {
			return p, cmd
		}
		if i := p.tbl.Selected(); i >= 0 && key.Matches(msg, p.c.keys.Open) {
			if r := &p.rows[i]; !r.gone {
				return p, push(newAssetPage(p.c, r.assetID))
			}
			return p, toast(false, "that asset was removed; `vigil asset ID --at SCAN` prints it as it was")
		}
	}
	return p, nil
}

// ShortHelp lists the footer key hints.
func (p *changesPage) ShortHelp() []key.Binding { return []key.Binding{p.c.keys.Open, p.c.keys.Filter} }

// FullHelp lists every binding for the help overlay.
func (p *changesPage) FullHelp() [][]key.Binding { return p.fullList(p.c.keys.Open) }

// headline sums the diff up in one line.
func (p *changesPage) headline() string {
	d := p.diff
	if d == nil {
		return "changes"
	}
	a, v := &d.Assets, &d.Violations
	s := shortTime(d.From.Started) + " → " + shortTime(d.To.Started) + "  assets +" + itoa(len(a.Added)) +
		" -" + itoa(len(a.Removed)) + " ~" + itoa(len(a.Changed)) + "  violations " + itoa(len(v.Opened)) + " opened, " +
		itoa(len(v.Closed)) + " closed, " + itoa(len(v.Exempted)) + " exempted, " + itoa(len(v.Reopened)) + " re-opened"
	g := p.c.group
	if c, ok := d.Compliance[g]; ok && c.Before != nil && c.After != nil {
		s += "  " + g + " " + itoa(*c.Before) + "% → " + itoa(*c.After) + "%"
	}
	return s
}

// View draws the list and the change under the cursor.
func (p *changesPage) View() string {
	st := p.c.st
	out, i := p.listView(st.Subtle.Render(fit(text(p.headline()), p.width)))
	if i < 0 {
		return out
	}
	r := &p.rows[i]
	var lines []string
	switch {
	case r.v != nil:
		lines = append(lines, st.ColHeader.Render("violation "+text(r.v.ID)),
			"policy   "+text(r.v.PolicyID)+"  "+text(r.v.Severity),
			"asset    "+text(r.v.AssetID),
			"status   "+statusText(r.v.Before)+" → "+statusText(r.v.After),
			"message  "+text(r.v.Message))
	case r.changes != nil:
		lines = append(lines, st.ColHeader.Render(text(r.assetID)))
		lines = append(lines, changeLines(r.changes, p.width)...)
	default:
		what := "added"
		if r.gone {
			what = "removed"
		}
		lines = append(lines, st.ColHeader.Render(text(r.assetID)), "asset "+what+" between these scans")
	}
	room := max(p.height-strings.Count(out, "\n")-2, 1)
	if len(lines) > room {
		lines = append(lines[:room-1], st.Subtle.Render("… "+itoa(len(lines)-room+1)+" more"))
	}
	for j := range lines {
		lines[j] = fit(lines[j], p.width)
	}
	return out + "\n" + strings.Join(lines, "\n")
}

// statusText names a violation status, "none" when it did not exist.
func statusText(s string) string {
	if s == "" {
		return "none"
	}
	return text(s)
}

// changeLines renders attribute changes as "path: before → after".
func changeLines(cs []asset.Change, width int) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, fit("  "+text(c.Path)+": "+valueText(c.Before)+" → "+valueText(c.After), width))
	}
	return out
}

// valueText renders one side of a change compactly; a missing side is ∅.
func valueText(v any) string {
	if v == nil {
		return "∅"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	return text(string(b))
}

// changesKey is the scans page's enter: the changes that scan made.
func changesKey() key.Binding {
	return key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "changes"))
}
