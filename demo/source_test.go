package demo

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// collect runs the source once and returns every unit reported and the
// assets by ID.
func collect(t *testing.T, s *Source) ([]asset.Unit, map[string]asset.Asset) {
	t.Helper()
	var units []asset.Unit
	got := map[string]asset.Asset{}
	err := s.Run(context.Background(), func(u asset.Unit, as []asset.Asset) {
		units = append(units, u)
		for _, a := range as {
			if !u.Contains(&asset.Summary{Account: a.Account, Region: a.Region, Type: a.Type}) {
				t.Errorf("unit %s reported %s (%s/%s/%s)", u.UnitKey, a.ID, a.Account, a.Region, a.Type)
			}
			if _, dup := got[a.ID]; dup {
				t.Errorf("%s reported twice", a.ID)
			}
			got[a.ID] = a
		}
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return units, got
}

func TestSourceReportsEveryUnitOnce(t *testing.T) {
	s := NewSource(func() time.Time { return testNow }, 0)
	plan := s.Units()
	units, got := collect(t, s)
	if len(units) != len(plan) {
		t.Fatalf("reported %d units, planned %d", len(units), len(plan))
	}
	for i, u := range units {
		if u.UnitKey != plan[i] || u.Status != asset.UnitComplete || u.Assets < 0 {
			t.Errorf("unit %d: got %+v, planned %s", i, u, plan[i])
		}
	}
	// 3 accounts x (7 global types + 26 regional types x 4 regions); the
	// metric filter, network ACL, EFS and batch-B units are scanned and empty
	if want := 3 * (7 + 26*4); len(plan) != want {
		t.Errorf("planned %d units, want %d", len(plan), want)
	}
	inv := Inventory(testNow)
	if d := len(got) - len(inv); d != 0 {
		t.Errorf("a run reported %d assets, the inventory has %d (one added, one removed)", len(got), len(inv))
	}
	for _, a := range got {
		if !a.LastSeen.Equal(testNow) {
			t.Errorf("%s last seen %v, want the run's time", a.ID, a.LastSeen)
			break
		}
	}
}

func TestSourceDriftsBetweenRuns(t *testing.T) {
	clock := testNow
	s := NewSource(func() time.Time { return clock }, 0)
	base := byID(Inventory(testNow.Truncate(24 * time.Hour)))
	_, run1 := collect(t, s)
	clock = clock.Add(time.Hour)
	_, run2 := collect(t, s)

	var added, removed, changed int
	for id, a := range run1 {
		b, ok := base[id]
		if !ok {
			added++
			continue
		}
		if !reflect.DeepEqual(a.Attrs, b.Attrs) {
			changed++
		}
	}
	for id := range base {
		if _, ok := run1[id]; !ok {
			removed++
		}
	}
	if added != 1 || removed != 1 || changed < 3 || changed > 10 {
		t.Errorf("run 1 drift: %d added, %d removed, %d changed; want 1, 1 and a handful", added, removed, changed)
	}
	differs := 0
	for id, a := range run2 {
		if b, ok := run1[id]; !ok || !reflect.DeepEqual(a.Attrs, b.Attrs) {
			differs++
		}
		if !a.LastSeen.Equal(clock) {
			t.Fatalf("%s last seen %v in run 2, want %v", id, a.LastSeen, clock)
		}
	}
	if differs == 0 || differs > 20 {
		t.Errorf("run 2 differs from run 1 in %d assets; want a few", differs)
	}
}

func TestSourceConsumerCannotCorruptInventory(t *testing.T) {
	s := NewSource(func() time.Time { return testNow }, 0)
	err := s.Run(context.Background(), func(u asset.Unit, as []asset.Asset) {
		for i := range as {
			as[i].Attrs["tampered"] = true
			if as[i].Tags != nil {
				as[i].Tags["tampered"] = "yes"
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	_, got := collect(t, s)
	for id, a := range got {
		if a.Attrs["tampered"] != nil || a.Tags["tampered"] != "" {
			t.Fatalf("%s kept a change the previous run's consumer made", id)
		}
	}
}

func TestSourceStopsWhenCancelled(t *testing.T) {
	s := NewSource(func() time.Time { return testNow }, 5*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := s.Run(ctx, func(asset.Unit, []asset.Asset) {
		n++
		if n == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel returned %v, want context.Canceled", err)
	}
	if n != 3 {
		t.Errorf("handled %d units after cancelling at the third", n)
	}
}

func TestFreshSourcesDriftByTheMinute(t *testing.T) {
	at := func(ts time.Time) map[string]asset.Asset {
		_, got := collect(t, NewSource(func() time.Time { return ts }, 0))
		return got
	}
	a, b, c := at(testNow), at(testNow), at(testNow.Add(3*time.Minute))
	if !reflect.DeepEqual(a, b) {
		t.Error("two fresh sources at the same time reported different assets")
	}
	differs := 0
	for id, x := range a {
		if y, ok := c[id]; !ok || !reflect.DeepEqual(x.Attrs, y.Attrs) {
			differs++
		}
	}
	if differs == 0 {
		t.Error("a fresh source three minutes later reported exactly the same documents")
	}
}
