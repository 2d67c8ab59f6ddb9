package cycle

import (
	"reflect"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// After the console drops the violation cache, the backend answers the
// same from the store, and the scores still count what the store holds.
func TestDropViolationCacheReloads(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	c := newTestCycle(t, &now)
	src := unitSource(demo.Assets(7, 500, now))
	mustRun(t, c, src)
	b := NewBackend(c, nil, TestActor("test"), true)
	open := db.ViolationFilter{Status: []string{rules.StatusOpen}}
	before, err := b.Violations(groups.All, open)
	if err != nil {
		t.Fatal(err)
	}
	scBefore, err := b.Scores(groups.All, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(before) == 0 {
		t.Fatal("the demo assets gave no open violations")
	}
	b.DropViolationCache()
	if b.live != nil {
		t.Fatal("the cache is still held")
	}
	after, err := b.Violations(groups.All, open)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("after the drop: %d open violations, want the same %d as before", len(after), len(before))
	}
	b.DropViolationCache()
	scAfter, err := b.Scores(groups.All, "")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(scBefore, scAfter) {
		t.Errorf("scores changed after the drop: %+v, want %+v", scAfter.Overall, scBefore.Overall)
	}
}
