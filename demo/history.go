package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// HistoryDays is how far back History writes.
const HistoryDays = 90

// History writes 90 days of believable history into a store that already
// holds the demo inventory and the violations of a real evaluation: one scan
// a day (a few partial, with a failed unit), daily trend points of every
// group (built-in and stored) ending at today's real scores, violations opened over the
// past days (some flapping), closed violations, exceptions (individual and
// sticky, some expiring within a week) and fix records (applied, failed,
// undone). The same store contents, now and seed write the same history.
func History(ctx context.Context, store *db.Store, now time.Time, seed int64) error {
	h, err := loadHistory(store, now, seed)
	if err != nil {
		return err
	}
	steps := []struct {
		name string
		fn   func() error
	}{
		{"scans", h.writeScans},
		{"violations", h.writeViolations},
		{"trend", h.writeTrend},
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("demo history: %w", err)
		}
		if err := s.fn(); err != nil {
			return fmt.Errorf("demo history %s: %w", s.name, err)
		}
	}
	return nil
}

// hist is the state of one History run.
type hist struct {
	store    *db.Store
	now      time.Time
	r        *rand.Rand
	sums     []asset.Summary
	byID     map[string]*asset.Summary
	byType   map[string][]*asset.Summary
	accounts []string
	regions  []string // regions of the summaries, Global included
	vs       []rules.Violation
}

func loadHistory(store *db.Store, now time.Time, seed int64) (*hist, error) {
	sums, err := store.AllSummaries()
	if err != nil {
		return nil, fmt.Errorf("demo history: read assets: %w", err)
	}
	if len(sums) == 0 {
		return nil, fmt.Errorf("demo history: the store holds no assets; store the demo inventory and evaluate it first")
	}
	vs, err := store.Violations(db.ViolationFilter{})
	if err != nil {
		return nil, fmt.Errorf("demo history: read violations: %w", err)
	}
	sort.Slice(sums, func(i, j int) bool { return sums[i].ID < sums[j].ID })
	sort.Slice(vs, func(i, j int) bool { return vs[i].ID < vs[j].ID })
	h := &hist{
		store: store, now: now.UTC(), r: rand.New(rand.NewPCG(uint64(seed), 0x415)),
		sums: sums, byID: make(map[string]*asset.Summary, len(sums)), byType: map[string][]*asset.Summary{}, vs: vs,
	}
	accounts, regions := map[string]bool{}, map[string]bool{}
	for i := range sums {
		s := &sums[i]
		h.byID[s.ID] = s
		h.byType[s.Type] = append(h.byType[s.Type], s)
		accounts[s.Account] = true
		if s.Region != "" {
			regions[s.Region] = true
		}
	}
	h.accounts, h.regions = sortedKeys(accounts), sortedKeys(regions)
	return h, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// scanTime is when the daily scan of the day d days ago started.
func (h *hist) scanTime(d int) time.Time {
	day := h.now.Truncate(24*time.Hour).AddDate(0, 0, -d)
	return day.Add(6*time.Hour + time.Duration(mix64(uint64(d))%1200)*time.Second)
}

// failures are the errors of the failed units of partial scans.
var failures = [...]struct{ region, typ, msg string }{
	{"ap-southeast-2", asset.TypeEC2Instance, "operation error EC2: DescribeInstances, https response error StatusCode: 503, RequestID: 5f0c3a1e-7d2b-4c4e-9a51-0d3f2b8e6c11, api error Unavailable: Service Unavailable"},
	{"us-east-1", asset.TypeRDSInstance, "operation error RDS: DescribeDBInstances, exceeded maximum number of attempts, 3, https response error StatusCode: 400, RequestID: 9b1d2c7e-0a44-4f0b-8c6e-2e7f1d3a5b90, api error Throttling: Rate exceeded"},
	{"eu-west-1", asset.TypeLambda, "operation error Lambda: ListFunctions, context deadline exceeded"},
	{"us-west-2", asset.TypeKMSKey, "operation error KMS: ListKeys, https response error StatusCode: 500, RequestID: 1c9e8f2a-3b5d-4e7f-a0c1-6d2b9e4f8a37, api error KMSInternalException: An internal error occurred"},
}

// writeScans stores one scan per past day; about one in fifteen is partial.
func (h *hist) writeScans() error {
	counts := map[asset.UnitKey]int{}
	for i := range h.sums {
		s := &h.sums[i]
		k := asset.UnitKey{Account: s.Account, Region: s.Region, Type: s.Type}
		if asset.GlobalTypes[s.Type] {
			k.Region = asset.Global
		}
		counts[k]++
	}
	units := planUnits(h.accounts, h.regions)
	for d := HistoryDays; d >= 1; d-- {
		start := h.scanTime(d)
		growth := 1 - 0.08*float64(d)/HistoryDays
		partial := h.r.IntN(15) == 0
		failed := failures[h.r.IntN(len(failures))]
		sc := &asset.Scan{
			ID: start.Format("20060102T150405Z") + "-" + hexN(h.r.Uint64(), 6), Started: start,
			Status: asset.ScanComplete, Source: SourceName, By: "schedule", Units: make([]asset.Unit, 0, len(units)),
		}
		if h.r.IntN(8) == 0 {
			sc.By = pick(h.r, []string{"alice@example.com", "bob@example.com", "priya.nair@example.com"})
		}
		var total time.Duration
		for _, u := range units {
			du := time.Duration(150+h.r.IntN(3500)) * time.Millisecond
			unit := asset.Unit{UnitKey: u, Status: asset.UnitComplete, Assets: int(float64(counts[u])*growth + 0.5), Duration: du}
			if partial && u.Region == failed.region && u.Type == failed.typ && u.Account == h.accounts[d%len(h.accounts)] {
				unit.Status, unit.Error, unit.Assets = asset.UnitFailed, failed.region+" "+failed.typ+": "+failed.msg, 0
				sc.Status = asset.ScanPartial
			}
			total += du
			sc.Units = append(sc.Units, unit)
		}
		sc.Finished = start.Add(total / 8) // units run eight at a time
		if err := h.store.PutScan(sc); err != nil {
			return err
		}
	}
	return nil
}

// planUnits lists the units of a scan of the accounts and regions.
func planUnits(accounts, regions []string) []asset.UnitKey {
	var out []asset.UnitKey
	for _, acc := range accounts {
		for _, typ := range asset.AWSTypes {
			if asset.GlobalTypes[typ] {
				out = append(out, asset.UnitKey{Account: acc, Region: asset.Global, Type: typ})
				continue
			}
			for _, r := range regions {
				if r != asset.Global {
					out = append(out, asset.UnitKey{Account: acc, Region: r, Type: typ})
				}
			}
		}
	}
	return out
}

// writeTrend writes a daily point for every group (built-in and stored) for the past
// days, walking back from today's real point (or ~80% when there is none):
// compliance was a little lower in the past, with a dip around six weeks ago.
func (h *hist) writeTrend() error {
	stored, err := h.store.Groups()
	if err != nil {
		return fmt.Errorf("read groups: %w", err)
	}
	for gi, g := range append(groups.Builtins(h.accounts, h.regions), stored...) {
		today := h.now.Truncate(24 * time.Hour)
		pts, err := h.store.TrendPoints(g.Name, rules.DefaultDomain, today)
		if err != nil {
			return err
		}
		var end rules.TrendPoint
		first := 1
		if len(pts) > 0 {
			end = pts[len(pts)-1]
		} else {
			end = h.syntheticToday(g.Name, gi)
			first = 0
		}
		gr := rand.New(rand.NewPCG(uint64(gi)+1, h.r.Uint64()))
		gain := map[string]int{}
		for id := range end.Policies {
			gain[id] = gr.IntN(16)
		}
		noise := 0.0
		for d := first; d < HistoryDays; d++ {
			if d > 0 {
				noise = max(-2.5, min(2.5, noise+gr.Float64()*1.6-0.8))
			}
			delta := -9*float64(d)/HistoryDays + noise
			if d >= 38 && d <= 45 {
				delta -= 5 * float64(45-d+1) / 8 // an incident six weeks ago, fixed over a week
			}
			if d == 0 {
				delta = 0
			}
			p := rules.TrendPoint{
				Group: g.Name, Domain: rules.DefaultDomain, Day: today.AddDate(0, 0, -d).Format("2006-01-02"),
				Overall: clampPct(end.Overall, delta), Categories: map[string]int{}, Policies: map[string]int{},
				Assets: int(float64(end.Assets)*(1-0.08*float64(d)/HistoryDays) + 0.5),
			}
			factor := map[string]float64{rules.CategorySecurity: 1.3, rules.CategoryGovernance: 0.6, rules.CategoryCost: 0.5, rules.CategoryTagging: 1.1}
			for c, v := range end.Categories {
				p.Categories[c] = clampPct(v, delta*factor[c])
			}
			for id, v := range end.Policies {
				p.Policies[id] = clampPct(v, -float64(gain[id])*float64(d)/HistoryDays+noise/2)
			}
			p.Open = end.Open
			if end.Overall < 100 && p.Overall < 100 {
				p.Open = int(float64(end.Open)*float64(100-p.Overall)/float64(100-end.Overall) + 0.5)
			}
			if err := h.store.PutTrendPoint(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// syntheticToday is the end point of a group that has no real point today.
func (h *hist) syntheticToday(group string, gi int) rules.TrendPoint {
	open := 0
	for i := range h.vs {
		if h.vs[i].Status == rules.StatusOpen {
			open++
		}
	}
	return rules.TrendPoint{
		Group: group, Domain: rules.DefaultDomain, Overall: 78 + gi%5,
		Categories: map[string]int{rules.CategorySecurity: 76 + gi%4, rules.CategoryGovernance: 84, rules.CategoryCost: 88, rules.CategoryTagging: 71},
		Open:       open, Assets: len(h.sums),
	}
}

// clampPct adds delta to a percentage, rounded, kept within 0..100.
func clampPct(v int, delta float64) int {
	x := float64(v) + delta
	if x < 0 {
		return 0
	}
	if x > 100 {
		return 100
	}
	return int(x + 0.5)
}
