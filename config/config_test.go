package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Unknown keys are errors with file, line and the closest known key,
// wherever they are: at the top, in a map's value, in a list's element.
func TestLoadRejectsUnknownKeys(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, text, line, key, hint string
	}{
		{"top level", "concurrency: 4\nregionz: [us-east-1]\n", ":2:", "regionz", `did you mean "regions"?`},
		{"policy override", "policies:\n  s3-bucket-public-read:\n    disable: true\n", ":3:", "disable", `did you mean "disabled"?`},
		{"list element", "accounts:\n  - name: prod\n    role_arm: arn:aws:iam::1:role/x\n", ":3:", "role_arm", `did you mean "role_arn"?`},
		{"group", "groups:\n  - name: prod\n    matches: {tags.Env: [prod]}\n", ":3:", "matches", `did you mean "match"?`},
		{"nested struct", "schedule:\n  intervall: 1h\n", ":2:", "intervall", `did you mean "interval"?`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := writeConfig(t, c.text)
			_, err := Load(p)
			var uf *UnknownFieldError
			if !errors.As(err, &uf) {
				t.Fatalf("Load = %v, want an unknown field error", err)
			}
			msg := err.Error()
			for _, want := range []string{p + c.line, `"` + c.key + `"`, c.hint} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not contain %q", msg, want)
				}
			}
		})
	}
}

// Known keys decode as before, policy params stay free-form, and an empty
// or missing file is an empty config.
func TestLoadAcceptsKnownKeys(t *testing.T) {
	t.Parallel()
	p := writeConfig(t, "regions: [us-east-1]\nschedule: {interval: 1h}\npolicies:\n  x:\n    disabled: true\n    params: {anything: {nested: 1}}\n"+
		"groups:\n  - name: prod\n    match: {tags.Env: [prod]}\n    expr: 'true'\n")
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Regions) != 1 || !c.Policies["x"].Disabled || c.Schedule.Interval.Hours() != 1 || len(c.Groups) != 1 {
		t.Errorf("decoded %+v", c)
	}
	for _, text := range []string{"", "# only a comment\n"} {
		if _, err := Load(writeConfig(t, text)); err != nil {
			t.Errorf("Load(%q) = %v", text, err)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); err != nil {
		t.Errorf("missing file: %v", err)
	}
}
