package notify

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/rules"
)

// Text writes the digest's plain-text part. Every untrusted string (asset
// names and IDs, messages) goes through asset.Clean: no control character
// or escape sequence reaches a reader's terminal mail client.
func (d *Digest) Text(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("%s\n\n", d.Headline())
	if len(d.Trend) > 1 {
		ew.printf("Last %d days: %s  %d%% → %d%%\n\n", len(d.Trend), sparkText(d.Trend), d.Trend[0], d.Trend[len(d.Trend)-1])
	}
	ew.printf("By category\n")
	for _, c := range d.Categories {
		ew.printf("  %-12s %3d%%  %d open\n", c.Name, c.Score, c.Open)
	}
	d.textList(ew, "New "+d.sinceLabel(), d.New, false, listMax)
	d.textList(ew, "Closed since then", d.Closed, false, listMax)
	d.textList(ew, "Still open, critical and high, oldest first", d.StillOpen, true, stillOpenMax)
	if len(d.Worst) > 0 {
		ew.printf("\nWorst policies\n")
		for _, p := range d.Worst {
			ew.printf("  %3d%%  %-8s %s — %s (%d open of %d)\n", p.Compliance, p.Severity, p.ID, asset.Clean(p.Name), p.Open, p.Evaluated)
		}
	}
	ew.printf("\n-- \nvigil digest of group %s, %s. Each violation is announced once per digest.\n",
		asset.Clean(d.Rule.Group), d.At.Format(time.RFC1123Z))
	return ew.err
}

func (d *Digest) textList(ew *errWriter, title string, vs []rules.Violation, age bool, limit int) {
	if len(vs) == 0 {
		return
	}
	ew.printf("\n%s (%d)\n", title, len(vs))
	for i, v := range vs {
		if i == limit {
			ew.printf("  … and %d more (vigil violations --group %s)\n", len(vs)-limit, asset.Clean(d.Rule.Group))
			break
		}
		extra := ""
		if age {
			extra = fmt.Sprintf("  open %s", ageOf(d.At, v.OpenedAt))
		}
		ew.printf("  [%s] %s  %s%s\n      %s\n", v.Severity, v.PolicyID, assetLabel(v), extra, asset.Clean(v.Message))
	}
}

// Headline is "prod: 91% compliant (−2 since 1 Dec)".
func (d *Digest) Headline() string {
	s := fmt.Sprintf("%s: %d%% compliant", asset.Clean(d.Rule.Group), d.Overall)
	if d.Delta != nil {
		s += fmt.Sprintf(" (%s since %s)", signed(*d.Delta), d.LastAt.Format("2 Jan"))
	}
	if d.Rule.Owner != "" {
		s += ", your assets (Owner " + asset.Clean(d.Rule.Owner) + ")"
	}
	return s
}

func (d *Digest) sinceLabel() string {
	switch {
	case d.Rule.Since > 0:
		return "in the last " + d.Rule.Since.String()
	case d.Delta != nil:
		return "since the last digest (" + d.LastAt.Format("2 Jan 15:04") + ")"
	}
	return "(first digest)"
}

// assetLabel names the asset: "name (id)" or the ID, cleaned.
func assetLabel(v rules.Violation) string {
	if v.AssetName != "" && v.AssetName != v.AssetID {
		return asset.Clean(v.AssetName) + " (" + asset.Clean(v.AssetID) + ")"
	}
	return asset.Clean(v.AssetID)
}

// ageOf is how long ago t was, in days (hours under a day).
func ageOf(now, t time.Time) string {
	a := now.Sub(t)
	if a < 24*time.Hour {
		return fmt.Sprintf("%dh", int(a.Hours()))
	}
	return fmt.Sprintf("%dd", int(a.Hours()/24))
}

// sparkText draws scores with block characters, scaled to their range.
func sparkText(vals []int) string {
	bars := []rune("▁▂▃▄▅▆▇█")
	lo, hi := scoreRange(vals)
	var b strings.Builder
	for _, v := range vals {
		i := (v - lo) * (len(bars) - 1) / (hi - lo)
		b.WriteRune(bars[max(0, min(i, len(bars)-1))])
	}
	return b.String()
}

// scoreRange is the span a sparkline draws: the scores' range with a
// little room, at least 10 points wide (a flat line stays in the middle
// rather than jumping on a 1-point change), within 0..100.
func scoreRange(vals []int) (lo, hi int) {
	lo, hi = 100, 0
	for _, v := range vals {
		lo, hi = min(lo, v), max(hi, v)
	}
	if pad := (10 - (hi - lo)) / 2; pad > 0 {
		lo, hi = lo-pad, hi+pad
	}
	lo, hi = max(0, lo-1), min(100, hi+1)
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
