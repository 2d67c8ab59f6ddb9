package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/vigil-sec/vigil/cycle"
)

// loadAssetChanges reads an asset's changes scan by scan for its Changes
// tab; an error is shown in the tab, not instead of the asset.
func loadAssetChanges(b Backend, id string) ([]cycle.AssetHistoryEntry, error) {
	cb, err := changesOf(b)
	if err != nil {
		return nil, err
	}
	return cb.AssetHistory(id)
}

// changesLines renders the Changes tab: per scan, newest first, what it
// changed of the asset.
func (p *assetPage) changesLines() []string {
	st := p.c.st
	d := p.data
	if d.changesErr != nil {
		return []string{st.Bad.Render("✗ " + text(d.changesErr.Error()))}
	}
	if len(d.changes) == 0 {
		return []string{st.Subtle.Render("no change kept: the asset has looked the same in every scan since history began")}
	}
	var lines []string
	for _, e := range d.changes {
		by := "scan " + text(e.Scan)
		if strings.HasPrefix(e.Scan, cycle.FixStampPrefix) {
			by = text(e.Scan) // "fix <record>"
		}
		head := shortTime(e.At) + "  " + by + "  " + e.Kind
		if e.Kind == cycle.ChangeChanged {
			head += " (" + itoa(len(e.Changes)) + ")"
		}
		lines = append(lines, st.ColHeader.Render(fit(head, p.width)))
		lines = append(lines, changeLines(e.Changes, p.width)...)
	}
	return lines
}

// changesView draws h lines of the Changes tab from the scroll offset.
func (p *assetPage) changesView(h int) string {
	lines := p.changesLines()
	p.chOff = min(p.chOff, max(0, len(lines)-h))
	return strings.Join(lines[p.chOff:min(len(lines), p.chOff+h)], "\n")
}

// changesKey scrolls the Changes tab.
func (p *assetPage) changesKey(msg tea.KeyMsg) {
	k, h := p.c.keys, max(p.height-3, 1)
	switch {
	case key.Matches(msg, k.Up):
		p.chOff = max(0, p.chOff-1)
	case key.Matches(msg, k.Down):
		p.chOff++
	case key.Matches(msg, k.PgUp):
		p.chOff = max(0, p.chOff-h)
	case key.Matches(msg, k.PgDown):
		p.chOff += h
	}
}
