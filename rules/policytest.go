package rules

import (
	"fmt"
	"time"

	"github.com/google/cel-go/common/types"

	"github.com/vigil-sec/vigil/asset"
)

// TestResult is the outcome of one inline policy test.
type TestResult struct {
	PolicyID string
	File     string
	Name     string
	Passed   bool
	Want     bool   // the expected compliance
	Got      bool   // the check's answer (when Error is empty)
	Error    string // the check could not be evaluated
}

// Err describes a failed test as an error, or returns nil when it passed.
func (r TestResult) Err() error {
	switch {
	case r.Passed:
		return nil
	case r.Error != "":
		return fmt.Errorf("policy %s (%s): test %q: %s", r.PolicyID, r.File, r.Name, r.Error)
	}
	return fmt.Errorf("policy %s (%s): test %q: want compliant=%t, got %t", r.PolicyID, r.File, r.Name, r.Want, r.Got)
}

// testResolver serves a test case's `related:` documents.
type testResolver struct {
	related map[string][]map[string]any
}

// Related returns the test's documents of type typ.
func (t testResolver) Related(_ *asset.Asset, typ string) []map[string]any { return t.related[typ] }

// Account returns the test's aws.account document, if it gave one.
func (t testResolver) Account(string) map[string]any {
	if docs := t.related[asset.TypeAccount]; len(docs) > 0 {
		return docs[0]
	}
	return nil
}

// RunTests runs every policy's inline tests and returns one result per test,
// in policy order. `now` in a test is the current time; test params
// override the policy's.
func RunTests(policies []*Policy) []TestResult {
	env, err := newEnv()
	if err != nil {
		return []TestResult{{Name: "environment", Error: err.Error()}}
	}
	now := types.Timestamp{Time: time.Now().UTC()}
	var out []TestResult
	for _, p := range policies {
		c, err := compileProgram(env, p, DefaultCostLimit)
		for _, t := range p.Tests {
			r := TestResult{PolicyID: p.ID, File: p.File, Name: t.Name, Want: t.Compliant}
			if err != nil {
				r.Error = err.Error()
				out = append(out, r)
				continue
			}
			a := testAsset(p, t.Resource)
			params := mergeParams(p.Params, t.Params)
			act := &activation{
				resource: newDocVal(a),
				params:   types.DefaultTypeAdapter.NativeToValue(params),
				now:      now,
				ctx:      &evalCtx{a: a, rel: testResolver{related: t.Related}},
			}
			res := c.run(act, a, a.Doc)
			if res.Err != nil {
				r.Error = res.Err.Error()
			} else {
				r.Got = res.Pass
				r.Passed = res.Pass == t.Compliant
			}
			out = append(out, r)
		}
	}
	return out
}

// testAsset builds an asset from a test's resource document; identity
// fields the test gives (id, type, name, account, region, tags) are kept.
func testAsset(p *Policy, doc map[string]any) *asset.Asset {
	a := &asset.Asset{Attrs: map[string]any{}, Tags: map[string]string{}}
	if len(p.Resources) > 0 {
		a.Type = p.Resources[0]
	}
	for k, v := range doc {
		switch k {
		case "id":
			a.ID, _ = v.(string)
		case "type":
			a.Type, _ = v.(string)
		case "name":
			a.Name, _ = v.(string)
		case "account":
			a.Account, _ = v.(string)
		case "region":
			a.Region, _ = v.(string)
		case "tags":
			if m, ok := v.(map[string]any); ok {
				for tk, tv := range m {
					a.Tags[tk] = asset.String(tv)
				}
			}
		default:
			a.Attrs[k] = v
		}
	}
	if a.ID == "" {
		a.ID = "test:" + p.ID
	}
	return a
}
