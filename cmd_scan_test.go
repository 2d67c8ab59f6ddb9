package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/rules"
)

// A complete scan exits 0 only when every check could be evaluated and
// every policy file loaded; otherwise 3 (partial), naming the first error.
func TestScanExitIsPartialOnEvaluationOrPolicyErrors(t *testing.T) {
	t.Parallel()
	complete := &asset.Scan{ID: "s", Status: asset.ScanComplete}
	cases := []struct {
		name string
		res  *cycle.Result
		code int
		want string
	}{
		{"clean", &cycle.Result{Scan: complete}, 0, ""},
		{"check errored", &cycle.Result{Scan: complete, EvalErrors: []rules.PolicyErrors{{PolicyID: "p", Assets: []string{"a1"}, Asset: "a1", Message: "no such key: X"}}},
			exitPartial, "policy p on a1: no such key: X"},
		{"policy file broken", &cycle.Result{Scan: complete, PolicyErrors: []error{errors.New("policy x.yaml:3: bad")}}, exitPartial, "did not load"},
		{"unit failed", &cycle.Result{Scan: &asset.Scan{ID: "s", Status: asset.ScanPartial}}, exitPartial, ""},
	}
	for _, c := range cases {
		err := scanExit(c.res)
		var ee *exitError
		switch {
		case c.code == 0 && err != nil:
			t.Errorf("%s: %v, want exit 0", c.name, err)
		case c.code != 0 && (!errors.As(err, &ee) || ee.code != c.code):
			t.Errorf("%s: %v, want exit %d", c.name, err, c.code)
		case c.want != "" && !strings.Contains(err.Error(), c.want):
			t.Errorf("%s: %q does not name %q", c.name, err, c.want)
		}
	}
}
