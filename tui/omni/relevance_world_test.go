package omni_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/tui/omni"
)

// world is the demo inventory as the console searches it: its assets, the
// built-in policy pack and the open violations the pack finds.
type world struct {
	ix     *omni.Index
	items  []omni.Item // item i of ix, for judging relevance
	assets map[string]*asset.Asset
	pols   map[string]*rules.Policy
}

var (
	worldOnce sync.Once
	worldVal  *world
	worldErr  string
)

// demoWorld builds the world once for every relevance test.
func demoWorld(t *testing.T) *world {
	t.Helper()
	worldOnce.Do(func() { worldVal, worldErr = buildWorld() })
	if worldErr != "" {
		t.Fatal(worldErr)
	}
	return worldVal
}

func buildWorld() (*world, string) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	as := demo.Inventory(now)
	pols, errs := rules.LoadAll()
	if len(errs) > 0 {
		return nil, "load policies: " + errs[0].Error()
	}
	eng, errs := rules.NewEngine(pols, rules.Config{Now: func() time.Time { return now }})
	if len(errs) > 0 {
		return nil, "compile policies: " + errs[0].Error()
	}
	ptrs := make([]*asset.Asset, len(as))
	w := &world{assets: map[string]*asset.Asset{}, pols: map[string]*rules.Policy{}}
	sums := make([]asset.Summary, len(as))
	for i := range as {
		ptrs[i] = &as[i]
		w.assets[as[i].ID] = &as[i]
		sums[i] = as[i].Summary()
	}
	byID := map[string]*rules.Policy{}
	var ps []rules.Policy
	for _, p := range pols {
		byID[p.ID] = p
		w.pols[p.ID] = p
		ps = append(ps, *p)
	}
	res := eng.EvaluateAll(ptrs, rules.NewIndex(ptrs), 2)
	vs := rules.Reconcile(rules.ReconcileInput{Results: res, Policies: byID, Now: now, By: "test",
		Asset: func(id string) *asset.Asset { return w.assets[id] }})
	var open []rules.Violation
	for _, v := range vs {
		if v.Status == rules.StatusOpen {
			open = append(open, v)
		}
	}
	w.ix = omni.ConsoleIndex(sums, ps, open)
	// Items by index: an empty query lists every item in index order.
	w.items = make([]omni.Item, w.ix.Len())
	r := w.ix.Search(context.Background(), omni.Query{Limit: w.ix.Len()})
	for i, h := range r.Hits {
		w.items[i] = *h.Item
	}
	return w, ""
}

// tag is an asset item's tag value, or the asset's when the item is a
// violation ("" when none).
func (w *world) tag(it *omni.Item, key string) string {
	if it.Kind == omni.KindViolation {
		if a := w.assets[it.AssetID]; a != nil {
			return a.Tags[key]
		}
		return ""
	}
	v, _ := it.Tags.Get(key)
	return v
}

// policyOf is the policy ID an item is or belongs to ("" for assets).
func policyOf(it *omni.Item) string {
	switch it.Kind {
	case omni.KindPolicy:
		return it.ID
	case omni.KindViolation:
		v, _ := it.Tags.Get("policy")
		return v
	}
	return ""
}

func lc(s string) string { return strings.ToLower(s) }
