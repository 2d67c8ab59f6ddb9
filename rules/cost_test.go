package rules

import (
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vigil-sec/vigil/asset"
)

// allocated returns the bytes allocated while fn runs.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

const maxAttackBytes = 32 << 20 // "tens of MiB" per asset at most

// TestChainedReplaceStopsAsEvaluationError: nine replaces that multiply a
// ten-byte name by ten each would build a 10 GB string; the check ends in
// an evaluation error instead, having allocated a few MiB.
func TestChainedReplaceStopsAsEvaluationError(t *testing.T) {
	t.Parallel()
	check := "resource.name" + strings.Repeat(`.replace("a", "aaaaaaaaaa")`, 9) + ` == ""`
	e := engine(t, Config{}, pol("replace-bomb", asset.TypeEC2Instance, check))
	a := ec2("i-1", nil)
	a.Name = "aaaaaaaaaa"
	var r Result
	n := allocated(func() { r = one(t, e, a, nil) })
	if r.Err == nil {
		t.Fatalf("replace chain gave pass=%v and no error", r.Pass)
	}
	if r.Pass {
		t.Errorf("an evaluation error must not be a pass")
	}
	if n > maxAttackBytes {
		t.Errorf("replace chain allocated %d MiB, want at most %d MiB", n>>20, maxAttackBytes>>20)
	}
	t.Logf("error: %v; allocated %d KiB", r.Err, n>>10)
}

// TestNestedAllOverLargeListsStopsAsEvaluationError: two nested .all over
// a 20,000-element list (400M iterations) stop at the cost limit.
func TestNestedAllOverLargeListsStopsAsEvaluationError(t *testing.T) {
	t.Parallel()
	items := make([]any, 20_000)
	for i := range items {
		items[i] = int64(i)
	}
	e := engine(t, Config{}, pol("loop-bomb", asset.TypeEC2Instance,
		`resource.items.all(x, resource.items.all(y, x + y >= 0))`))
	a := ec2("i-1", map[string]any{"items": items})
	var r Result
	n := allocated(func() { r = one(t, e, a, nil) })
	if r.Err == nil || r.Pass {
		t.Fatalf("nested all gave pass=%v err=%v, want an evaluation error", r.Pass, r.Err)
	}
	// The cost limit stops it; on a loaded machine the deadline may first.
	if msg := r.Err.Error(); !strings.Contains(msg, "cost limit") && !strings.Contains(msg, "deadline") {
		t.Errorf("error %q names neither the cost limit nor the deadline", msg)
	}
	if n > maxAttackBytes {
		t.Errorf("nested all allocated %d MiB, want at most %d MiB", n>>20, maxAttackBytes>>20)
	}
}

// TestNestedLoopsOverLiterals: two nested .all over 20,000-element literals
// may stop early, so they load and stop at the limit when run; two nested
// .map always run every iteration, so the static estimate already exceeds
// the limit and the file is refused at load with file and line.
func TestNestedLoopsOverLiterals(t *testing.T) {
	t.Parallel()
	nums := make([]string, 20_000)
	for i := range nums {
		nums[i] = "1"
	}
	list := "[" + strings.Join(nums, ",") + "]"
	head := "id: literal-bomb\nname: bomb\nresource: aws.ec2.instance\nseverity: low\ncategory: security\n"
	allFile := head + "check: '" + list + ".all(x, " + list + ".all(y, x == y))'\n"
	ps, errs := LoadDir(fstest.MapFS{"all.yaml": {Data: []byte(allFile)}}, ".")
	if len(ps) != 1 || len(errs) != 0 {
		t.Fatalf("nested all: loaded %d policies, errors %v", len(ps), errs)
	}
	var r Result
	eng := engine(t, Config{}, ps[0])
	n := allocated(func() { r = one(t, eng, ec2("i-1", nil), nil) })
	if r.Err == nil || r.Pass || !strings.Contains(r.Err.Error(), "stopped") {
		t.Errorf("nested all over literals: pass=%v err=%v, want an evaluation error", r.Pass, r.Err)
	}
	if n > maxAttackBytes {
		t.Errorf("nested all over literals allocated %d MiB, want at most %d MiB", n>>20, maxAttackBytes>>20)
	}
	file := head + "check: '" + list + ".map(x, " + list + ".map(y, x + y)).size() > 0'\n"
	ps, errs = LoadDir(fstest.MapFS{"bomb.yaml": {Data: []byte(file)}}, ".")
	if len(ps) != 0 || len(errs) != 1 {
		t.Fatalf("loaded %d policies, %d errors (%v), want the file refused", len(ps), len(errs), errs)
	}
	if msg := errs[0].Error(); !strings.Contains(msg, "bomb.yaml:6") || !strings.Contains(msg, "cost limit") {
		t.Errorf("error %q, want it at bomb.yaml:6 naming the cost limit", msg)
	}
}

// TestCheapChecksRunWithoutTracker: a check whose static estimate is
// within the limit needs no run-time tracker; loops over documents do.
func TestCheapChecksRunWithoutTracker(t *testing.T) {
	t.Parallel()
	cases := map[string]bool{
		`resource.encrypted`: false,
		`resource.name.startsWith("a") && resource.tags.Owner != ""`:           false,
		`!resource.ingress.exists(r, world_open(r) && covers_port(r, 22))`:     true,
		`resource.name.replace("a", "b") == ""`:                                true,
		`related("aws.ec2.security-group").exists(g, g.ingress.size() > 0)`:    true,
		`lists.range(size(resource.name)).size() == 10`:                        true,
		`resource.a.exists(x, [1, 2].exists(y, resource.a.exists(z, z == y)))`: true,
	}
	for check, want := range cases {
		e := engine(t, Config{}, pol("p", asset.TypeEC2Instance, check))
		if got := e.byID["p"].plan.Tracked; got != want {
			t.Errorf("%s: tracked = %v, want %v", check, got, want)
		}
	}
}
