package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/progress"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/internal/awsapi"
)

// scanProgress reports a headless scan on stderr: a redrawn bar on a
// terminal, one plain line per unit otherwise.
type scanProgress struct {
	w       io.Writer
	tty     bool
	bar     progress.Model
	last    time.Time
	lastReq time.Time // when the plain output last printed request counts
	drawn   bool
}

// requestsPlainEvery is how often plain output prints request counts.
const requestsPlainEvery = 2 * time.Second

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
		case pr.Requests != nil && time.Since(p.lastReq) >= requestsPlainEvery:
			p.lastReq = time.Now()
			fmt.Fprintln(p.w, "requests: "+requestsByService(pr.Requests))
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
	line := fmt.Sprintf("%s %s %d/%d units, %d assets", p.bar.ViewAs(frac), pr.Phase, pr.Done, pr.Total, pr.Assets)
	if pr.Requests != nil {
		line += " · " + requestsTotal(pr.Requests)
	}
	fmt.Fprint(p.w, "\r\x1b[K"+line)
	p.drawn = true
}

func (p *scanProgress) done() {
	if p.tty && p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// requestsTotal is the one-line request count of a scan: done, in flight of
// the budget, throttled.
func requestsTotal(st *awsapi.Stats) string {
	return fmt.Sprintf("%d requests, %d/%d in flight, %d throttled", st.Done, st.InFlight, st.Max, st.Throttled)
}

// requestsByService lists each service's requests done, in flight and
// throttled, with its current in-flight limit when throttling lowered it.
func requestsByService(st *awsapi.Stats) string {
	parts := make([]string, 0, len(st.Services))
	for _, s := range st.Services {
		part := fmt.Sprintf("%s %d done, %d in flight, %d throttled", s.Service, s.Done, s.InFlight, s.Throttled)
		if s.Throttled > 0 {
			part += fmt.Sprintf(" (limit %d)", s.Limit)
		}
		parts = append(parts, asset.Clean(part))
	}
	if len(parts) == 0 {
		return "none yet"
	}
	return requestsTotal(st) + " — " + strings.Join(parts, "; ")
}
