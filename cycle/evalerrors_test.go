package cycle

import (
	"bytes"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

// syncBuffer is a log sink safe for the cycle's writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// cycleWithPolicy opens a cycle whose user policy directory holds one
// policy file, logging to the returned buffer.
func cycleWithPolicy(t *testing.T, now *time.Time, policyYAML string) (*Cycle, *syncBuffer) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.yaml"), []byte(policyYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := db.Open(t.TempDir(), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	logs := &syncBuffer{}
	c, errs, err := New(st, &config.Config{}, Deps{Now: func() time.Time { return *now },
		Log: log.New(logs, "", 0), PolicyDirs: []string{dir}})
	if err != nil || len(errs) > 0 {
		t.Fatalf("new cycle: %v %v", err, errs)
	}
	return c, logs
}

func policyFile(id, check, params string) string {
	return "id: " + id + "\nname: " + id + "\nresource: aws.ec2.security-group\nseverity: high\n" +
		"category: security\n" + params + "check: '" + check + "'\n"
}

// A check that cannot be evaluated is its own result, never a pass: for
// each way a check can fail to evaluate, the scan reports the error
// (partial), the report counts it per policy and does not count the asset
// as evaluated-compliant, the log names it, and a second scan of the
// unchanged inventory reports it again instead of remembering a pass.
func TestEvaluationErrorIsNeverAPass(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, check, params, want string
	}{
		{"divide by zero", `size(resource.ingress) / size(resource.egress) == 0`, "", "division by zero"},
		{"missing key", `resource.tags["CostCenter"] == "cc-1"`, "", "CostCenter"},
		{"cost limit", `lists.range(size(resource.group_id) * 10000).all(x, lists.range(size(resource.group_id) * 10000).all(y, x + y >= 0))`, "", "stopped"}, // the cost limit, or the deadline on a loaded machine
		{"wrong param type", `size(resource.ingress) <= params.max_rules`, "params: {max_rules: five}\n", "no such overload"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
			c, logs := cycleWithPolicy(t, &now, policyFile("broken-check", tc.check, tc.params))
			a := sg("us-east-1", "sg-1", false, nil)
			src := &staticSource{units: []asset.UnitKey{sgUnit("us-east-1")}, assets: []asset.Asset{a}}
			for run := 1; run <= 2; run++ {
				res := mustRun(t, c, src)
				if !res.Partial() || len(res.EvalErrors) != 1 {
					t.Fatalf("run %d: partial=%v, %d policies with errors, want partial with 1", run, res.Partial(), len(res.EvalErrors))
				}
				pe := res.EvalErrors[0]
				if pe.PolicyID != "broken-check" || pe.Count() != 1 || pe.Asset != a.ID || !strings.Contains(pe.Message, tc.want) {
					t.Errorf("run %d: errors %+v, want broken-check on %s mentioning %q", run, pe, a.ID, tc.want)
				}
				if st, _ := violation(t, c, "broken-check", a.ID); st != "" {
					t.Errorf("run %d: an errored check made a violation %q", run, st)
				}
				rep, err := c.BuildReport("all", false)
				if err != nil {
					t.Fatal(err)
				}
				var got *ReportPolicy
				for i := range rep.Policies {
					if rep.Policies[i].ID == "broken-check" {
						got = &rep.Policies[i]
					}
				}
				if got == nil || got.Errors != 1 || got.Evaluated != 0 || got.Open != 0 {
					t.Errorf("run %d: report line %+v, want errors 1, evaluated 0 (not judged), open 0", run, got)
				}
			}
			if l := logs.String(); !strings.Contains(l, "evaluation error: policy broken-check") || !strings.Contains(l, tc.want) {
				t.Errorf("log does not name the error:\n%s", l)
			}
		})
	}
}

// An asset that failed before and now cannot be evaluated keeps its open
// violation and counts as failing, not as evaluated-compliant.
func TestErroredCheckKeepsLastJudgement(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	c, _ := cycleWithPolicy(t, &now, policyFile("flaky", `resource.tags["Owner"] == "nobody"`, ""))
	a := sg("us-east-1", "sg-1", false, nil)
	src := &staticSource{units: []asset.UnitKey{sgUnit("us-east-1")}, assets: []asset.Asset{a}}
	mustRun(t, c, src)
	if st, _ := violation(t, c, "flaky", a.ID); st != rules.StatusOpen {
		t.Fatalf("first run: %q, want open", st)
	}
	delete(a.Tags, "Owner") // now the check errors: no such key
	src.assets = []asset.Asset{a}
	res := mustRun(t, c, src)
	if len(res.EvalErrors) != 1 {
		t.Fatalf("second run: %d policies with errors, want 1", len(res.EvalErrors))
	}
	if st, _ := violation(t, c, "flaky", a.ID); st != rules.StatusOpen {
		t.Errorf("after an error: %q, want still open", st)
	}
	rep, err := c.BuildReport("all", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Policies {
		if p.ID == "flaky" && (p.Evaluated != 1 || p.Open != 1 || p.Errors != 1 || p.Compliance != 0) {
			t.Errorf("report %+v, want evaluated 1, open 1, errors 1, compliance 0", p)
		}
	}
}
