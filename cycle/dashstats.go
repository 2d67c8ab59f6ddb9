package cycle

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// DashStats is what the console's dashboard shows of a group in a domain
// besides trend and activity: its compliance and its counts.
type DashStats struct {
	Scores   rules.Scores   `json:"scores"`
	BySev    map[string]int `json:"by_severity"` // open violations per severity
	Open     int            `json:"open"`        // open violations
	Assets   int            `json:"assets"`      // members
	Untagged int            `json:"untagged"`    // members that take tags and have none
	ByType   map[string]int `json:"by_type"`     // members per type
}

// Untagged reports whether an AWS resource that takes tags has none.
// Accounts and imported findings (vuln.finding) carry no AWS tags at all,
// so counting them would inflate the tagging gap.
func Untagged(s *asset.Summary) bool {
	return s.Tags.IsZero() && strings.HasPrefix(s.Type, "aws.") && s.Type != asset.TypeAccount
}

// StatsOf counts a group's dashboard numbers from its scores, its open
// violations and its members.
func StatsOf(sc rules.Scores, open []rules.Violation, members []asset.Summary) DashStats {
	d := DashStats{Scores: sc, BySev: map[string]int{}, ByType: map[string]int{}, Open: len(open), Assets: len(members)}
	for i := range open {
		d.BySev[open[i].Severity]++
	}
	for i := range members {
		d.ByType[members[i].Type]++
		if Untagged(&members[i]) {
			d.Untagged++
		}
	}
	return d
}

// DashSource is what a group's dashboard numbers are counted from (a
// console backend).
type DashSource interface {
	Scores(group, domain string) (rules.Scores, error)
	Violations(group string, f db.ViolationFilter) ([]rules.Violation, error)
	Summaries(group string) ([]asset.Summary, error)
}

// CountDashStats counts a group's dashboard numbers from its scores, its
// open violations and its members as src reports them.
func CountDashStats(src DashSource, group, domain string) (DashStats, error) {
	sc, err := src.Scores(group, domain)
	if err != nil {
		return DashStats{}, fmt.Errorf("compliance of group %s: %w", group, err)
	}
	open, err := src.Violations(group, db.ViolationFilter{Status: []string{rules.StatusOpen}})
	if err != nil {
		return DashStats{}, fmt.Errorf("violations of group %s: %w", group, err)
	}
	sums, err := src.Summaries(group)
	if err != nil {
		return DashStats{}, fmt.Errorf("assets of group %s: %w", group, err)
	}
	return StatsOf(sc, open, sums), nil
}

// DashStats returns a group's dashboard numbers. A new session answers
// from the store's dashboard cache when nothing was written to the store
// since the numbers were computed (see db.DashCache), without reading
// every summary and violation; otherwise it computes them and saves them
// for the next start.
func (b *Backend) DashStats(group, domain string) (DashStats, error) {
	key, keyErr := b.dashKey(group, domain)
	if keyErr == nil {
		if raw, ok, err := b.C.Store.DashCache(key); err == nil && ok {
			var d DashStats
			if err := json.Unmarshal(raw, &d); err == nil {
				return d, nil
			}
		}
	}
	d, err := CountDashStats(b, group, domain)
	if err != nil {
		return DashStats{}, err
	}
	if keyErr != nil {
		return d, nil
	}
	b.sumsMu.Lock()
	b.liveMu.Lock()
	based := min(b.sumsVer, b.liveVer) // what the numbers were computed from
	b.liveMu.Unlock()
	b.sumsMu.Unlock()
	if raw, err := json.Marshal(d); err == nil {
		if _, err := b.C.Store.PutDashCache(key, based, raw); err != nil {
			b.C.logf("dashboard cache: %v", err)
		}
	}
	return d, nil
}

// dashCacheLayout names the layout of DashStats; with the build's VCS
// revision (when the binary carries one) it keeps another vigil build from
// using numbers it might compute differently.
const dashCacheLayout = "dash-v1"

// buildRevision is the VCS revision the binary was built from ("" when
// unknown, as in tests).
func buildRevision() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	rev := ""
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
			rev += s.Value
		}
	}
	return rev
}

// dashKey identifies what a group's dashboard numbers depend on besides
// the stored data: the group's definition, the policies with their
// overrides, the category weights. Built-in groups are defined by their
// name; a config or stored group of the same name replaces one.
func (b *Backend) dashKey(group, domain string) (string, error) {
	ps, _, err := b.C.Policies()
	if err != nil {
		return "", err
	}
	var def *groups.Group
	for _, g := range b.C.Config.Groups {
		if g.Name == group {
			def = &g
		}
	}
	stored, err := b.C.Store.Groups()
	if err != nil {
		return "", fmt.Errorf("read groups: %w", err)
	}
	for _, g := range stored {
		if g.Name == group {
			def = &g
		}
	}
	raw, err := json.Marshal(struct {
		Layout, Build, Group, Domain string
		Def                          *groups.Group
		Policies                     []*rules.Policy
		Weights                      map[string]int
	}{dashCacheLayout, buildRevision(), group, domain, def, ps, b.C.Config.Weights})
	if err != nil {
		return "", fmt.Errorf("dashboard cache key: %w", err)
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:]), nil
}
