package notify

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/rules"
)

//go:embed digest.html.tmpl
var digestHTML string

// htmlTemplate parses the digest page; html/template escapes every value
// for where it lands, and clean drops control characters first.
func htmlTemplate(now time.Time) *template.Template {
	return template.Must(template.New("digest").Funcs(template.FuncMap{
		"list":  func(xs ...any) []any { return xs },
		"clean": asset.Clean,
		"sub":   func(a, b int) int { return a - b },
		"ageOf": func(t time.Time) string { return ageOf(now, t) },
		"sevColor": func(s string) template.CSS {
			switch s {
			case rules.SeverityCritical:
				return "#b60205"
			case rules.SeverityHigh:
				return "#d93f0b"
			case rules.SeverityMedium:
				return "#9a6700"
			}
			return "#57606a"
		},
	}).Parse(digestHTML))
}

// spark is the trend as an inline SVG polyline (no external fetch, so it
// shows in a mail client that blocks remote images).
type spark struct {
	W, H, N     int
	First, Last int
	Points      string
}

func sparkOf(vals []int) *spark {
	if len(vals) < 2 {
		return nil
	}
	s := &spark{W: 240, H: 40, N: len(vals), First: vals[0], Last: vals[len(vals)-1]}
	lo, hi := scoreRange(vals)
	var b strings.Builder
	for i, v := range vals {
		x := i * (s.W - 4) / (len(vals) - 1)
		y := (s.H - 4) - (min(max(v, lo), hi)-lo)*(s.H-4)/(hi-lo)
		fmt.Fprintf(&b, "%d,%d ", x+2, y+2)
	}
	s.Points = strings.TrimSpace(b.String())
	return s
}

// HTML writes the digest's HTML part.
func (d *Digest) HTML(w io.Writer) error {
	return htmlTemplate(d.At).Execute(w, map[string]any{
		"D": d, "Subject": d.Subject(), "Spark": sparkOf(d.Trend), "Since": d.sinceLabel(),
		"Max": listMax, "MaxOpen": stillOpenMax, "Date": d.At.Format(time.RFC1123Z),
	})
}
