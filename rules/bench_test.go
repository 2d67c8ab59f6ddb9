package rules_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/rules"
)

// benchNow is the scan time of the benchmark fleets.
var benchNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func benchFleet(b *testing.B, n int) []*asset.Asset {
	b.Helper()
	vals := demo.Assets(1, n, benchNow)
	out := make([]*asset.Asset, len(vals))
	for i := range vals {
		out[i] = &vals[i]
	}
	return out
}

func benchEngine(b *testing.B, ps []*rules.Policy) *rules.Engine {
	b.Helper()
	e, errs := rules.NewEngine(ps, rules.Config{Now: func() time.Time { return benchNow }})
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	return e
}

func benchPack(b *testing.B) []*rules.Policy {
	b.Helper()
	ps, errs := rules.LoadDir(rules.BuiltinFS(), ".")
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	return ps
}

// BenchmarkPackCold evaluates the whole built-in pack over a demo fleet with
// no previous state: index build plus every policy on every asset, on all
// cores. One op is one full evaluation of the fleet.
func BenchmarkPackCold(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("assets=%d", n), func(b *testing.B) {
			fleet := benchFleet(b, n)
			e := benchEngine(b, benchPack(b))
			evals := 0
			var cpu time.Duration
			for b.Loop() {
				if cpu == 0 {
					cpu = cpuTime()
				}
				ix := rules.NewIndex(fleet)
				evals += len(e.EvaluateAll(fleet, ix, 0))
			}
			reportCPU(b, cpu)
			b.ReportMetric(float64(evals)/b.Elapsed().Seconds(), "evals/s")
			b.ReportMetric(float64(evals)/float64(b.N), "evals/op")
		})
	}
}

// BenchmarkPackUnchanged is the rescan with nothing changed: every asset's
// document hash (kept in the store's summaries) and its type's fingerprint
// match, so only policies reading `now` run again ("changed-types=none").
// With "changed-types=unknown" every volatile policy (now, related,
// account) runs again, as when the caller cannot say which types changed.
func BenchmarkPackUnchanged(b *testing.B) {
	for _, tc := range []struct {
		n     int
		types map[string]bool
		name  string
	}{
		{100_000, map[string]bool{}, "none"}, {1_000_000, map[string]bool{}, "none"},
		{100_000, nil, "unknown"}, {1_000_000, nil, "unknown"},
	} {
		n := tc.n
		b.Run(fmt.Sprintf("assets=%d/changed-types=%s", n, tc.name), func(b *testing.B) {
			fleet := benchFleet(b, n)
			e := benchEngine(b, benchPack(b))
			type state struct {
				hash, fp uint64
			}
			stored := make(map[string]state, len(fleet))
			current := make(map[string]uint64, len(fleet))
			for _, a := range fleet {
				h := asset.HashDoc(a.Attrs, a.Tags, a.Name)
				stored[a.ID] = state{h, e.Fingerprint(a.Type)}
				current[a.ID] = h // computed once when the scan stores the asset
			}
			unchanged := func(a *asset.Asset) bool {
				s, ok := stored[a.ID]
				return ok && s.hash == current[a.ID] && s.fp == e.Fingerprint(a.Type)
			}
			evals := 0
			var cpu time.Duration
			for b.Loop() {
				if cpu == 0 {
					cpu = cpuTime()
				}
				ix := rules.NewIndex(fleet)
				evals += len(e.EvaluateChanged(fleet, rules.Changes{Unchanged: unchanged, Types: tc.types}, ix, 0))
			}
			reportCPU(b, cpu)
			b.ReportMetric(float64(evals)/float64(b.N), "evals/op")
		})
	}
}

// threeChecks are three pack checks as CEL, for the ratio to Go.
var threeChecks = []*rules.Policy{
	{ID: "imdsv2", Name: "imdsv2", Resources: []string{asset.TypeEC2Instance}, Severity: "high", Category: "security",
		Check: `resource.imds.http_tokens == "required"`},
	{ID: "volume-encrypted", Name: "volume-encrypted", Resources: []string{asset.TypeVolume}, Severity: "high", Category: "security",
		Check: `resource.encrypted`},
	{ID: "sg-open-ssh", Name: "sg-open-ssh", Resources: []string{asset.TypeSecurityGroup}, Severity: "high", Category: "security",
		Check: `!resource.ingress.exists(r, world_open(r) && covers_port(r, 22))`},
}

// BenchmarkThreeChecksCEL runs the three checks through the engine on one
// core.
func BenchmarkThreeChecksCEL(b *testing.B) {
	fleet := benchFleet(b, 100_000)
	e := benchEngine(b, threeChecks)
	evals := 0
	var cpu time.Duration
	for b.Loop() {
		if cpu == 0 {
			cpu = cpuTime()
		}
		evals += len(e.EvaluateAll(fleet, nil, 1))
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(evals)/b.Elapsed().Seconds(), "evals/s")
}

// BenchmarkThreeChecksGo runs the same three checks hand-written in Go over
// the same documents on one core, producing the same results.
func BenchmarkThreeChecksGo(b *testing.B) {
	fleet := benchFleet(b, 100_000)
	evals := 0
	var cpu time.Duration
	for b.Loop() {
		if cpu == 0 {
			cpu = cpuTime()
		}
		var out []rules.Result
		for _, a := range fleet {
			var id string
			var pass bool
			switch a.Type {
			case asset.TypeEC2Instance:
				v, _ := asset.Get(a.Attrs, "imds.http_tokens")
				id, pass = "imdsv2", v == "required"
			case asset.TypeVolume:
				v, _ := a.Attrs["encrypted"].(bool)
				id, pass = "volume-encrypted", v
			case asset.TypeSecurityGroup:
				id, pass = "sg-open-ssh", true
				rs, _ := a.Attrs["ingress"].([]any)
				for _, r := range rs {
					m, _ := r.(map[string]any)
					if rules.WorldOpen(m) && rules.CoversPort(m, 22) {
						pass = false
						break
					}
				}
			default:
				continue
			}
			r := rules.Result{PolicyID: id, AssetID: a.ID, Pass: pass}
			if !pass {
				r.Message = id
			}
			out = append(out, r)
		}
		evals += len(out)
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(evals)/b.Elapsed().Seconds(), "evals/s")
}

// cpuTime is the process's user plus system CPU time: on a shared machine it
// shows the work done, where wall time also counts waiting for a core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds cpu-s/op, measured from start.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkIndex builds every related()/account() link over a 1M-asset
// fleet (an evaluation builds only the links its policies follow).
func BenchmarkIndex(b *testing.B) {
	fleet := benchFleet(b, 1_000_000)
	var cpu time.Duration
	for b.Loop() {
		if cpu == 0 {
			cpu = cpuTime()
		}
		ix := rules.NewIndex(fleet)
		ix.Account("none")
		ix.Related(probeInstance, asset.TypeVulnFinding)
		ix.Related(probeInstance, asset.TypeSecurityGroup)
		ix.Related(probeSG, asset.TypeEC2Instance)
	}
	reportCPU(b, cpu)
}

// Probes that make an index build each of its links.
var (
	probeInstance = &asset.Asset{Type: asset.TypeEC2Instance, Attrs: map[string]any{"security_group_ids": []any{"sg-x"}}}
	probeSG       = &asset.Asset{Type: asset.TypeSecurityGroup, Attrs: map[string]any{"group_id": "sg-x"}}
)
