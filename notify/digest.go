package notify

import (
	"fmt"
	"net/mail"
	"sort"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

// Rule is one digest to build: a group, who reads it, the severity floor,
// and the key its announcement state is stored under.
type Rule struct {
	Key         string // state key: the group, or group + recipient for owner digests
	Group       string
	To          []string
	MinSeverity string        // "" all
	Owner       string        // set: only assets whose Owner tag is this address
	Since       time.Duration // set: list what opened/closed in this window instead of "since the last digest"
	Every       time.Duration // how often the schedule sends it
}

// Digest is what one e-mail says.
type Digest struct {
	Rule       Rule
	At         time.Time
	Overall    int
	Delta      *int // change since the rule's last digest; nil for the first
	Categories []CategoryLine
	New        []rules.Violation // opened since the last digest, worst first
	Closed     []rules.Violation // announced open earlier, closed since
	StillOpen  []rules.Violation // critical/high still open, oldest first
	Worst      []cycle.ReportPolicy
	Trend      []int // daily overall scores, oldest first
	LastAt     time.Time
}

// CategoryLine is one category's score and open count.
type CategoryLine struct {
	Name  string
	Score int
	Open  int
}

// The lists of a digest are capped; the rest is counted. All of them count
// as announced: the e-mail says how many more there are.
const (
	stillOpenMax = 25
	listMax      = 100
)

// Build computes a rule's digest from the cycle's current state and what
// the rule announced before (seen, last).
func Build(c *cycle.Cycle, r Rule, seen map[string]db.DigestSeen, last db.DigestLast, hasLast bool, now time.Time) (*Digest, error) {
	rep, err := c.BuildReport(r.Group, true)
	if err != nil {
		return nil, fmt.Errorf("digest of group %s: %w", r.Group, err)
	}
	vs, mem, err := c.GroupViolations(r.Group, db.ViolationFilter{})
	if err != nil {
		return nil, fmt.Errorf("digest of group %s: %w", r.Group, err)
	}
	if r.Owner != "" {
		vs = ownedBy(vs, mem, r.Owner)
	}
	d := &Digest{Rule: r, At: now, Overall: rep.Compliance["overall"]}
	if hasLast {
		delta := d.Overall - last.Overall
		d.Delta, d.LastAt = &delta, last.At
	}
	floor := rules.Severity(r.MinSeverity)
	openByCat := map[string]int{}
	for i := range vs {
		v := vs[i]
		if v.Status == rules.StatusOpen {
			openByCat[v.Category]++
		}
		if r.MinSeverity != "" && !rules.Severity(v.Severity).AtLeast(floor) {
			continue
		}
		s := seen[v.ID]
		switch {
		case v.Status == rules.StatusOpen && r.Since > 0:
			if now.Sub(v.OpenedAt) <= r.Since {
				d.New = append(d.New, v)
			} else if highOrWorse(v) {
				d.StillOpen = append(d.StillOpen, v)
			}
		case v.Status == rules.StatusOpen && s.Opened.IsZero():
			d.New = append(d.New, v)
		case v.Status == rules.StatusOpen && highOrWorse(v):
			d.StillOpen = append(d.StillOpen, v)
		case v.Status == rules.StatusClosed && r.Since > 0:
			if v.ClosedAt != nil && now.Sub(*v.ClosedAt) <= r.Since {
				d.Closed = append(d.Closed, v)
			}
		case v.Status == rules.StatusClosed && !s.Opened.IsZero() && s.Closed.IsZero():
			d.Closed = append(d.Closed, v)
		}
	}
	worstFirst(d.New)
	worstFirst(d.Closed)
	sort.SliceStable(d.StillOpen, func(i, j int) bool { return d.StillOpen[i].OpenedAt.Before(d.StillOpen[j].OpenedAt) })
	d.Categories = categoryLines(rep.Compliance, openByCat)
	d.Worst = worstPolicies(rep.Policies, r.MinSeverity, 5)
	pts, err := c.Store.TrendPoints(r.Group, rules.DefaultDomain, now.AddDate(0, 0, -30))
	if err != nil {
		return nil, fmt.Errorf("digest of group %s: trend: %w", r.Group, err)
	}
	for _, p := range pts {
		d.Trend = append(d.Trend, p.Overall)
	}
	return d, nil
}

// Announced is the digest state after this digest: what it announced, to
// be stored with the message in one transaction.
func (d *Digest) Announced() map[string]db.DigestSeen {
	out := make(map[string]db.DigestSeen, len(d.New)+len(d.Closed))
	for _, v := range d.New {
		out[v.ID] = db.DigestSeen{Opened: d.At}
	}
	for _, v := range d.Closed {
		out[v.ID] = db.DigestSeen{Opened: v.OpenedAt, Closed: d.At}
	}
	return out
}

// Subject is "prod 91% (−2) · 4 new critical".
func (d *Digest) Subject() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d%%", asset.Clean(d.Rule.Group), d.Overall)
	if d.Delta != nil {
		fmt.Fprintf(&b, " (%s)", signed(*d.Delta))
	}
	b.WriteString(" · ")
	b.WriteString(d.newSummary())
	return b.String()
}

// newSummary names the worst severity among the new violations.
func (d *Digest) newSummary() string {
	if len(d.New) == 0 {
		if len(d.Closed) > 0 {
			return fmt.Sprintf("%d closed", len(d.Closed))
		}
		return "nothing new"
	}
	worst := d.New[0].Severity
	n := 0
	for _, v := range d.New {
		if v.Severity == worst {
			n++
		}
	}
	if n == len(d.New) {
		return fmt.Sprintf("%d new %s", n, worst)
	}
	return fmt.Sprintf("%d new %s, %d new in all", n, worst, len(d.New))
}

// signed writes a change with a real minus sign: +3, −2, ±0.
func signed(n int) string {
	switch {
	case n > 0:
		return fmt.Sprintf("+%d", n)
	case n < 0:
		return fmt.Sprintf("−%d", -n)
	}
	return "±0"
}

func highOrWorse(v rules.Violation) bool {
	return rules.Severity(v.Severity).AtLeast(rules.SeverityHigh)
}

func worstFirst(vs []rules.Violation) {
	sort.SliceStable(vs, func(i, j int) bool {
		a, b := rules.SeverityRank(vs[i].Severity), rules.SeverityRank(vs[j].Severity)
		if a != b {
			return a < b
		}
		if vs[i].PolicyID != vs[j].PolicyID {
			return vs[i].PolicyID < vs[j].PolicyID
		}
		return vs[i].AssetID < vs[j].AssetID
	})
}

// categoryLines lists the categories in PacBot's order of weight.
func categoryLines(scores map[string]int, open map[string]int) []CategoryLine {
	var names []string
	for k := range scores {
		if k != "overall" {
			names = append(names, k)
		}
	}
	order := map[string]int{rules.CategorySecurity: 0, rules.CategoryGovernance: 1, rules.CategoryCost: 2, rules.CategoryTagging: 3}
	sort.Slice(names, func(i, j int) bool {
		oi, iok := order[names[i]]
		oj, jok := order[names[j]]
		if iok != jok {
			return iok
		}
		if oi != oj {
			return oi < oj
		}
		return names[i] < names[j]
	})
	out := make([]CategoryLine, len(names))
	for i, n := range names {
		out[i] = CategoryLine{Name: n, Score: scores[n], Open: open[n]}
	}
	return out
}

// worstPolicies are the n policies at or above the severity floor with
// open violations and the lowest compliance, most severe first on a tie.
func worstPolicies(ps []cycle.ReportPolicy, floor string, n int) []cycle.ReportPolicy {
	var out []cycle.ReportPolicy
	for _, p := range ps {
		if p.Open > 0 && (floor == "" || rules.Severity(p.Severity).AtLeast(rules.Severity(floor))) {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Compliance != out[j].Compliance {
			return out[i].Compliance < out[j].Compliance
		}
		if a, b := rules.SeverityRank(out[i].Severity), rules.SeverityRank(out[j].Severity); a != b {
			return a < b
		}
		return out[i].Open > out[j].Open
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// ownedBy keeps the violations of assets whose Owner tag is addr.
func ownedBy(vs []rules.Violation, mem []asset.Summary, addr string) []rules.Violation {
	mine := map[string]bool{}
	for _, s := range mem {
		if OwnerAddress(s) == addr {
			mine[s.ID] = true
		}
	}
	var out []rules.Violation
	for _, v := range vs {
		if mine[v.AssetID] {
			out = append(out, v)
		}
	}
	return out
}

// OwnerAddress is the e-mail address in an asset's Owner tag ("" when
// there is none or it is not an address): the tag is written by whoever
// can tag the resource, so only a well-formed bare address is used.
func OwnerAddress(s asset.Summary) string {
	for _, k := range []string{"Owner", "owner"} {
		v, ok := s.Tags.Get(k)
		if !ok {
			continue
		}
		a, err := mail.ParseAddress(strings.TrimSpace(v))
		if err != nil || a.Name != "" || strings.ContainsAny(a.Address, "\r\n<>") {
			return ""
		}
		return a.Address
	}
	return ""
}
