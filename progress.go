package main

import (
	"fmt"
	"io"
	"time"

	"github.com/charmbracelet/bubbles/progress"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
)

// scanProgress reports a headless scan on stderr: a redrawn bar on a
// terminal, one plain line per unit otherwise.
type scanProgress struct {
	w     io.Writer
	tty   bool
	bar   progress.Model
	last  time.Time
	drawn bool
}

func newScanProgress(w io.Writer, tty bool) *scanProgress {
	return &scanProgress{w: w, tty: tty, bar: progress.New(progress.WithDefaultGradient(), progress.WithWidth(40))}
}

func (p *scanProgress) update(pr cycle.Progress) {
	if !p.tty {
		switch {
		case pr.Unit != nil:
			line := fmt.Sprintf("[%d/%d] %s %s", pr.Done, pr.Total, pr.Unit.UnitKey, pr.Unit.Status)
			if pr.Unit.Status == asset.UnitComplete {
				line += fmt.Sprintf(" (%d assets)", pr.Unit.Assets)
			} else if pr.Unit.Error != "" {
				line += ": " + oneLine(pr.Unit.Error)
			}
			fmt.Fprintln(p.w, line)
		case pr.Phase != cycle.PhaseScan:
			fmt.Fprintf(p.w, "%s...\n", pr.Phase)
		}
		return
	}
	if pr.Phase == cycle.PhaseScan && time.Since(p.last) < 100*time.Millisecond && pr.Done < pr.Total {
		return
	}
	p.last = time.Now()
	frac := 0.0
	if pr.Total > 0 {
		frac = float64(pr.Done) / float64(pr.Total)
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s %s %d/%d units, %d assets", p.bar.ViewAs(frac), pr.Phase, pr.Done, pr.Total, pr.Assets)
	p.drawn = true
}

func (p *scanProgress) done() {
	if p.tty && p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
