package tui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/tui/omni"
)

// searchPage is the omni search (`/`): results update as the operator types,
// searched off the UI goroutine; each keystroke cancels the search before it
// and a sequence number drops late answers. Facets narrow by type, account,
// region and open violations; enter opens the asset, policy or violation.
type searchPage struct {
	base
	in     lineInput
	sess   *omni.Session
	seq    int
	cancel context.CancelFunc
	res    omni.Result
	counts map[string]map[string]int
	facets omni.Facets
	cursor int
	offset int
	// accounts names account IDs (from their aws.account assets).
	accounts map[string]string
	// picker, when open, chooses a facet value.
	picker *facetPicker
}

type searchIndexMsg struct {
	page     int
	gen      int
	sess     *omni.Session
	accounts map[string]string
	err      error
}

type searchResultMsg struct {
	page   int
	seq    int
	res    omni.Result
	counts map[string]map[string]int
}

// searchKeys are the search page's own bindings (the input takes letters).
type searchKeys struct {
	Type, Account, Region, Violations key.Binding
}

func newSearchKeys() searchKeys {
	return searchKeys{
		Type:       key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "pick type")),
		Account:    key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "pick account")),
		Region:     key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "pick region")),
		Violations: key.NewBinding(key.WithKeys("ctrl+v"), key.WithHelp("ctrl+v", "has violations")),
	}
}

func newSearchPage(c *common) *searchPage {
	p := &searchPage{base: newBase(c), in: newInput(c, "/ ", "search assets, policies, violations")}
	p.in.Focus()
	return p
}

// Title is the breadcrumb of the page.
func (p *searchPage) Title() string { return "Search" }

// Capturing is always true: the search box has the keyboard (esc still leaves).
func (p *searchPage) Capturing() bool { return true }

// Init builds the search index of the current group off the UI goroutine.
func (p *searchPage) Init() tea.Cmd {
	b, group, id, gen, c := p.c.b, p.c.group, p.id, p.c.gen, p.c
	p.loading = true
	return func() tea.Msg {
		sess, accounts, err := buildIndex(b, group)
		if err == nil {
			c.loaded()
		}
		return searchIndexMsg{page: id, gen: gen, sess: sess, accounts: accounts, err: err}
	}
}

// query starts a search for the current text and facets, cancelling the one
// in flight.
func (p *searchPage) query() tea.Cmd {
	if p.sess == nil {
		return nil
	}
	if p.cancel != nil {
		p.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.seq++
	id, seq, sess := p.id, p.seq, p.sess
	q := omni.Query{Text: p.in.Value(), Facets: p.facets, Limit: 500}
	return func() tea.Msg {
		res := sess.Search(ctx, q)
		if res.Cancelled {
			return nil
		}
		return searchResultMsg{page: id, seq: seq, res: res, counts: facetCounts(sess, q)}
	}
}

// facetCounts counts each facet's values among the matches of every other
// choice, so a chosen facet still offers its other values to cycle through
// (counting among the narrowed matches would leave only the chosen one).
func facetCounts(sess *omni.Session, q omni.Query) map[string]map[string]int {
	counts := map[string]map[string]int{}
	for k, v := range sess.FacetCounts(q) {
		counts[k] = v
	}
	if q.Facets.Type != "" {
		w := q
		w.Facets.Type = ""
		counts[omni.FacetType] = sess.FacetCounts(w)[omni.FacetType]
	}
	if q.Facets.Account != "" {
		w := q
		w.Facets.Account = ""
		counts[omni.FacetAccount] = sess.FacetCounts(w)[omni.FacetAccount]
	}
	if q.Facets.Region != "" {
		w := q
		w.Facets.Region = ""
		counts[omni.FacetRegion] = sess.FacetCounts(w)[omni.FacetRegion]
	}
	return counts
}

// Update handles results and keys.
func (p *searchPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case searchIndexMsg:
		if msg.page != p.id || msg.gen != p.c.gen {
			return p, nil
		}
		p.loading, p.err, p.sess, p.accounts = false, msg.err, msg.sess, msg.accounts
		return p, p.query()
	case searchResultMsg:
		if msg.page == p.id && msg.seq == p.seq {
			p.res, p.counts = msg.res, msg.counts
			p.cursor, p.offset = 0, 0
		}
		return p, nil
	case groupChangedMsg, refreshMsg:
		return p, p.Init()
	case tea.KeyMsg:
		return p, p.key(msg)
	}
	return p, nil
}

func (p *searchPage) key(msg tea.KeyMsg) tea.Cmd {
	sk := newSearchKeys()
	if p.picker != nil {
		val, chosen, done := p.picker.key(msg)
		facet := p.picker.facet
		if done {
			p.picker = nil
		}
		if !chosen {
			return nil
		}
		switch facet {
		case omni.FacetType:
			p.facets.Type = val
		case omni.FacetAccount:
			p.facets.Account = val
		default:
			p.facets.Region = val
		}
		return p.query()
	}
	switch {
	case msg.Type == tea.KeyUp:
		p.move(-1)
	case msg.Type == tea.KeyDown:
		p.move(1)
	case msg.Type == tea.KeyPgUp:
		p.move(-p.listHeight())
	case msg.Type == tea.KeyPgDown:
		p.move(p.listHeight())
	case msg.Type == tea.KeyEnter:
		return p.open()
	case key.Matches(msg, sk.Type):
		p.picker = newFacetPicker(omni.FacetType, p.counts[omni.FacetType], p.facets.Type)
	case key.Matches(msg, sk.Account):
		p.picker = newFacetPicker(omni.FacetAccount, p.counts[omni.FacetAccount], p.facets.Account)
	case key.Matches(msg, sk.Region):
		p.picker = newFacetPicker(omni.FacetRegion, p.counts[omni.FacetRegion], p.facets.Region)
	case key.Matches(msg, sk.Violations):
		switch {
		case p.facets.HasViolations == nil:
			t := true
			p.facets.HasViolations = &t
		case *p.facets.HasViolations:
			f := false
			p.facets.HasViolations = &f
		default:
			p.facets.HasViolations = nil
		}
		return p.query()
	default:
		if p.in.Update(msg) {
			return p.query()
		}
	}
	return nil
}

// EscLeaves cancels the search in flight; esc closes the page at once
// (synchronously, so a key typed right after esc reaches the page below).
// With the facet picker open, esc closes the picker only.
func (p *searchPage) EscLeaves() bool {
	if p.picker != nil {
		return false
	}
	if p.cancel != nil {
		p.cancel()
	}
	return true
}

func (p *searchPage) move(d int) {
	n := len(p.res.Hits)
	p.cursor = max(0, min(n-1, p.cursor+d))
	h := p.listHeight()
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+h {
		p.offset = p.cursor - h + 1
	}
}

func (p *searchPage) open() tea.Cmd {
	if p.cursor >= len(p.res.Hits) {
		return nil
	}
	it := p.res.Hits[p.cursor].Item
	switch it.Kind {
	case omni.KindPolicy:
		return push(newPolicyPage(p.c, it.ID))
	case omni.KindViolation:
		if it.AssetID != "" {
			return push(newAssetViolationPage(p.c, it.AssetID, it.ID))
		}
		return nil
	default:
		return push(newAssetPage(p.c, it.ID))
	}
}

func (p *searchPage) listHeight() int { return max(1, p.height-5) }

// ShortHelp lists the footer key hints.
func (p *searchPage) ShortHelp() []key.Binding {
	sk := newSearchKeys()
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		sk.Type, sk.Account, sk.Region, sk.Violations,
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// FullHelp lists every binding for the help overlay.
func (p *searchPage) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// View draws the component: the query, the facets, the count of matching
// lines and the hits as aligned columns (kind, name, type, account name,
// region, the field that matched), matched letters marked.
func (p *searchPage) View() string {
	st := p.c.st
	lines := []string{fit(p.in.View(), p.width), p.facetLine()}
	switch {
	case p.err != nil || p.loading:
		lines = append(lines, p.status())
	default:
		lines = append(lines, st.Subtle.Render(itoa(p.res.Total)+" matching lines"))
	}
	if p.picker != nil {
		lines = append(lines, p.picker.view(st, p.accounts, p.width, p.listHeight()+1)...)
		return strings.Join(lines, "\n")
	}
	cols := searchColumns(p.width)
	if len(p.res.Hits) > 0 {
		lines = append(lines, st.ColHeader.Render(fit("  "+cols.header(), p.width)))
	}
	end := min(len(p.res.Hits), p.offset+p.listHeight())
	for i := p.offset; i < end; i++ {
		lines = append(lines, p.row(cols, &p.res.Hits[i], i == p.cursor))
	}
	return strings.Join(lines, "\n")
}
