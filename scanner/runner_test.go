package scanner

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vigil-sec/vigil/asset"
)

// fakeCollector is a collector whose behaviour a test chooses.
type fakeCollector struct {
	typ     string
	global  bool
	collect func(ctx context.Context, s *Session) ([]asset.Asset, error)
}

func (f *fakeCollector) Type() string { return f.typ }
func (f *fakeCollector) Global() bool { return f.global }
func (f *fakeCollector) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	return f.collect(ctx, s)
}

func fakeTargets(accounts ...string) []Target {
	out := make([]Target, 0, len(accounts))
	for _, a := range accounts {
		out = append(out, Target{Account: a, Name: a})
	}
	return out
}

func oneAsset(_ context.Context, s *Session) ([]asset.Asset, error) {
	return []asset.Asset{{ID: "x:" + s.Account + ":" + s.Region, Name: "x"}}, nil
}

func TestPlanListsGlobalTypesOncePerAccountAndRegionalPerRegion(t *testing.T) {
	r := &Runner{
		Registry: NewRegistry(
			&fakeCollector{typ: "t.global", global: true, collect: oneAsset},
			&fakeCollector{typ: "t.regional", collect: oneAsset},
		),
		Regions: []string{"us-east-1", "eu-west-1"},
	}
	got := r.Plan(fakeTargets("111", "222"))
	want := []asset.UnitKey{
		{Account: "111", Region: asset.Global, Type: "t.global"},
		{Account: "111", Region: "us-east-1", Type: "t.regional"},
		{Account: "111", Region: "eu-west-1", Type: "t.regional"},
		{Account: "222", Region: asset.Global, Type: "t.global"},
		{Account: "222", Region: "us-east-1", Type: "t.regional"},
		{Account: "222", Region: "eu-west-1", Type: "t.regional"},
	}
	if len(got) != len(want) {
		t.Fatalf("plan = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("plan[%d] = %v, want %v", i, got[i], want[i])
		}
	}

	if got := r.Plan(fakeTargets("111", "111")); len(got) != 3 {
		t.Errorf("an account listed twice planned %d units, want 3", len(got))
	}

	noRegions := &Runner{Registry: r.Registry}
	got = noRegions.Plan([]Target{{Account: "333", Config: aws.Config{Region: "ap-south-1"}}, {Account: "444"}})
	if len(got) != 4 || got[1].Region != "ap-south-1" || got[3].Region != "us-east-1" {
		t.Errorf("plan without Regions = %v, want each target's config region (us-east-1 when unset)", got)
	}

	r.Types = []string{"t.regional", "t.unknown"}
	if got := r.Plan(fakeTargets("111")); len(got) != 2 || got[0].Type != "t.regional" {
		t.Errorf("plan with Types filter = %v, want the two regional units only", got)
	}
}

func TestRunFillsIdentityDefaults(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	var sessions sync.Map
	r := &Runner{
		Registry: NewRegistry(
			&fakeCollector{typ: "t.global", global: true, collect: func(ctx context.Context, s *Session) ([]asset.Asset, error) {
				sessions.Store(s.Region, s)
				return oneAsset(ctx, s)
			}},
			&fakeCollector{typ: "t.regional", collect: func(ctx context.Context, s *Session) ([]asset.Asset, error) {
				sessions.Store(s.Region, s)
				return []asset.Asset{{ID: "own", Region: "elsewhere", Account: "999", Source: "file"}}, nil
			}},
		),
		Regions:  []string{"eu-west-1"},
		Endpoint: "http://127.0.0.1:1",
		Now:      func() time.Time { return now },
	}
	units, assets := runScan(t, r, fakeTargets("111"))
	g := asset.UnitKey{Account: "111", Region: asset.Global, Type: "t.global"}
	if u := units[g]; u.Status != asset.UnitComplete || u.Assets != 1 {
		t.Fatalf("global unit = %+v, want complete with 1 asset", u)
	}
	a := assets[g][0]
	if a.Account != "111" || a.Region != asset.Global || a.Type != "t.global" || a.Source != "aws" || !a.FirstSeen.Equal(now) || !a.LastSeen.Equal(now) {
		t.Errorf("global asset identity = %+v", a)
	}
	own := assets[asset.UnitKey{Account: "111", Region: "eu-west-1", Type: "t.regional"}][0]
	if own.Region != "elsewhere" || own.Account != "999" || own.Source != "file" {
		t.Errorf("collector-set identity overwritten: %+v", own)
	}
	v, _ := sessions.Load(asset.Global)
	if s := v.(*Session); s.Config.Region != "us-east-1" || s.Endpoint != "http://127.0.0.1:1" || len(s.Regions) != 1 || !s.Now.Equal(now) {
		t.Errorf("global session = region %q endpoint %q regions %v now %v", s.Config.Region, s.Endpoint, s.Regions, s.Now)
	}
	v, _ = sessions.Load("eu-west-1")
	if s := v.(*Session); s.Config.Region != "eu-west-1" || s.Account != "111" {
		t.Errorf("regional session = region %q account %q", s.Config.Region, s.Account)
	}
}

func TestRunFailedUnitHandsBackNoAssets(t *testing.T) {
	boom := errors.New("ec2 DescribeVolumes: throttled for the tenth time")
	r := &Runner{
		Registry: NewRegistry(&fakeCollector{typ: "t.partial", collect: func(ctx context.Context, s *Session) ([]asset.Asset, error) {
			return []asset.Asset{{ID: "half"}}, boom
		}}),
		Regions: []string{"us-east-1"},
	}
	units, assets := runScan(t, r, fakeTargets("111"))
	k := asset.UnitKey{Account: "111", Region: "us-east-1", Type: "t.partial"}
	u := units[k]
	if u.Status != asset.UnitFailed || !strings.Contains(u.Error, boom.Error()) || u.Assets != 0 {
		t.Errorf("unit = %+v, want failed with %q", u, boom)
	}
	if len(assets[k]) != 0 {
		t.Errorf("failed unit handed back %d assets, want none", len(assets[k]))
	}
}

func TestRunRecoversPanickingCollector(t *testing.T) {
	r := &Runner{
		Registry: NewRegistry(&fakeCollector{typ: "t.panic", collect: func(ctx context.Context, s *Session) ([]asset.Asset, error) {
			var m map[string]int
			m["x"]++
			return nil, nil
		}}),
		Regions: []string{"us-east-1"},
	}
	units, _ := runScan(t, r, fakeTargets("111"))
	if u := units[asset.UnitKey{Account: "111", Region: "us-east-1", Type: "t.panic"}]; u.Status != asset.UnitFailed || !strings.Contains(u.Error, "panicked") {
		t.Errorf("unit = %+v, want failed with a panic message", u)
	}
}

func TestRunCallsHandleSeriallyWhileUnitsOverlap(t *testing.T) {
	var running, peak atomic.Int32
	slow := func(ctx context.Context, s *Session) ([]asset.Asset, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		return oneAsset(ctx, s)
	}
	r := &Runner{
		Registry:    NewRegistry(&fakeCollector{typ: "t.a", collect: slow}, &fakeCollector{typ: "t.b", collect: slow}),
		Regions:     []string{"r1", "r2", "r3", "r4"},
		Concurrency: 4,
	}
	var inHandle atomic.Int32
	calls := 0
	err := r.Run(context.Background(), fakeTargets("111", "222"), func(u asset.Unit, as []asset.Asset) {
		if inHandle.Add(1) != 1 {
			t.Error("handle called while another call was running")
		}
		time.Sleep(2 * time.Millisecond)
		calls++
		inHandle.Add(-1)
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 16 {
		t.Errorf("handle called %d times, want 16 (2 accounts x 2 types x 4 regions)", calls)
	}
	if p := peak.Load(); p < 2 || p > 4 {
		t.Errorf("peak concurrent units = %d, want 2..4 with Concurrency 4", p)
	}
}

func TestRunCancelMarksUnfinishedUnitsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{}, 16)
	block := func(ctx context.Context, s *Session) ([]asset.Asset, error) {
		started <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	}
	r := &Runner{
		Registry:    NewRegistry(&fakeCollector{typ: "t.block", collect: block}),
		Regions:     []string{"r1", "r2", "r3", "r4", "r5", "r6"},
		Concurrency: 2,
	}
	go func() {
		<-started
		<-started
		cancel()
	}()
	var units []asset.Unit
	err := r.Run(ctx, fakeTargets("111"), func(u asset.Unit, as []asset.Asset) {
		units = append(units, u)
		if len(as) != 0 {
			t.Errorf("cancelled unit %s handed back assets", u.UnitKey)
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run error = %v, want context.Canceled", err)
	}
	if len(units) != 6 {
		t.Fatalf("handle called for %d units, want all 6", len(units))
	}
	for _, u := range units {
		if u.Status != asset.UnitFailed || !strings.Contains(u.Error, "cancelled") {
			t.Errorf("unit %s = %s %q, want failed cancelled", u.UnitKey, u.Status, u.Error)
		}
	}
	if n := len(started); n > 0 {
		t.Errorf("%d more units started after cancel", n)
	}
}
