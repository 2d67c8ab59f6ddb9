package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/rules"
)

//go:embed report.html.tmpl
var htmlSource string

// htmlRowsPerSeverity caps each severity's table so a report of a large
// estate still opens from a mail attachment; the rest is counted.
const htmlRowsPerSeverity = 1000

// htmlView is what the template reads: every string is untrusted and left to
// html/template's contextual escaping; chart geometry is computed here.
type htmlView struct {
	Group, ScanID, ScanStatus, Generated string
	Overall                              int
	Categories                           []htmlBar
	CatHeight                            int
	Trend                                *htmlTrend
	Policies                             []htmlPolicy
	Sections                             []htmlSection
	Total                                int
}

type htmlBar struct {
	Name  string
	Score int
	Width int // of 200
	Y     int
	TextY int
	Class string
}

type htmlTrend struct {
	Points, Area string
	Dots         []htmlDot
	First, Last  string
	Min, Max     int
}

type htmlDot struct {
	X, Y  string
	Title string
}

type htmlPolicy struct {
	ID, Name, Severity, Category string
	Evaluated, Open, Exempt      int
	Compliance                   int
	Class                        string
}

type htmlSection struct {
	Severity string
	Class    string
	Rows     []htmlViolation
	More     int
}

type htmlViolation struct {
	Status, PolicyID, AssetID, AssetName, Where, Message, Opened string
}

// WriteHTML writes one self-contained HTML page (inline CSS and SVG, no
// external fetch, a Content-Security-Policy that forbids any): scores per
// category, the trend, the policies and the violations by severity.
func WriteHTML(w io.Writer, d *Data) error {
	t, err := template.New("report").Parse(htmlSource)
	if err != nil {
		return fmt.Errorf("parse the HTML template: %w", err)
	}
	if err := t.Execute(w, buildHTMLView(d)); err != nil {
		return fmt.Errorf("write the HTML report: %w", err)
	}
	return nil
}

func buildHTMLView(d *Data) htmlView {
	r := d.Report
	v := htmlView{Group: clean(r.Group), ScanID: clean(dash(r.Scan.ID)), ScanStatus: clean(dash(r.Scan.Status)),
		Generated: r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC"), Overall: r.Compliance["overall"], Total: len(r.Violations)}
	for _, c := range []string{rules.CategorySecurity, rules.CategoryGovernance, rules.CategoryCost, rules.CategoryTagging} {
		if s, ok := r.Compliance[c]; ok {
			y := 30 * len(v.Categories)
			v.Categories = append(v.Categories, htmlBar{Name: c, Score: s, Width: 2 * min(max(s, 0), 100),
				Class: scoreClass(s), Y: y + 6, TextY: y + 18})
		}
	}
	v.CatHeight = max(30*len(v.Categories), 30)
	v.Trend = buildTrend(d.Trend)
	for _, p := range r.Policies {
		v.Policies = append(v.Policies, htmlPolicy{ID: clean(p.ID), Name: clean(p.Name), Severity: clean(p.Severity),
			Category: clean(p.Category), Evaluated: p.Evaluated, Open: p.Open, Exempt: p.Exempt,
			Compliance: p.Compliance, Class: scoreClass(p.Compliance)})
	}
	sort.SliceStable(v.Policies, func(i, j int) bool { return v.Policies[i].Compliance < v.Policies[j].Compliance })
	names := d.names()
	bySev := map[string]*htmlSection{}
	for _, sev := range severities() {
		bySev[sev] = &htmlSection{Severity: sev, Class: "sev-" + sev}
	}
	other := &htmlSection{Severity: "other", Class: "sev-low"}
	for _, x := range r.Violations {
		sec := bySev[x.Severity]
		if sec == nil {
			sec = other
		}
		if len(sec.Rows) >= htmlRowsPerSeverity {
			sec.More++
			continue
		}
		sec.Rows = append(sec.Rows, htmlViolation{Status: clean(x.Status), PolicyID: clean(x.PolicyID),
			AssetID: clean(x.AssetID), AssetName: clean(names[x.AssetID]), Where: clean(x.Account + " " + x.Region),
			Message: clean(x.Message), Opened: x.OpenedAt.UTC().Format(time.DateOnly)})
	}
	for _, sev := range severities() {
		if s := bySev[sev]; len(s.Rows) > 0 {
			v.Sections = append(v.Sections, *s)
		}
	}
	if len(other.Rows) > 0 {
		v.Sections = append(v.Sections, *other)
	}
	return v
}

// buildTrend lays the overall score per day out in a 600x160 box (scores
// 0-100 on the y axis); nil when there are fewer than two points.
func buildTrend(ps []rules.TrendPoint) *htmlTrend {
	if len(ps) < 2 {
		return nil
	}
	const w, h, top = 600.0, 140.0, 10.0
	t := &htmlTrend{First: clean(ps[0].Day), Last: clean(ps[len(ps)-1].Day), Min: 100}
	var pts []string
	for i, p := range ps {
		x := w * float64(i) / float64(len(ps)-1)
		y := top + h*(1-float64(min(max(p.Overall, 0), 100))/100)
		xs, ys := strconv.FormatFloat(x, 'f', 1, 64), strconv.FormatFloat(y, 'f', 1, 64)
		pts = append(pts, xs+","+ys)
		t.Dots = append(t.Dots, htmlDot{X: xs, Y: ys, Title: fmt.Sprintf("%s: %d%%", clean(p.Day), p.Overall)})
		t.Min, t.Max = min(t.Min, p.Overall), max(t.Max, p.Overall)
	}
	t.Points = strings.Join(pts, " ")
	t.Area = "0," + strconv.FormatFloat(top+h, 'f', 1, 64) + " " + t.Points + " " + strconv.FormatFloat(w, 'f', 1, 64) + "," + strconv.FormatFloat(top+h, 'f', 1, 64)
	if len(ps) > 120 {
		t.Dots = nil // a dot a day is noise past four months
	}
	return t
}

func scoreClass(s int) string {
	switch {
	case s >= 90:
		return "good"
	case s >= 70:
		return "fair"
	}
	return "poor"
}

// clean drops controls and bidi overrides; html/template does the escaping.
func clean(s string) string { return asset.Clean(s) }
