package config

import (
	"errors"
	"strings"
	"testing"
)

func TestRetentionDefaultsAndMisspelling(t *testing.T) {
	t.Parallel()
	c, err := Load(writeConfig(t, "retention:\n  days: 14\n"))
	if err != nil {
		t.Fatal(err)
	}
	v, d, err := c.Retention.Effective()
	if err != nil || v != DefaultRetentionVersions || d != 14 {
		t.Errorf("Effective = %d, %d, %v; want %d, 14", v, d, err, DefaultRetentionVersions)
	}
	_, err = Load(writeConfig(t, "retention:\n  version: 5\n"))
	var uf *UnknownFieldError
	if !errors.As(err, &uf) || !strings.Contains(err.Error(), `did you mean "versions"?`) {
		t.Errorf("misspelt retention key: %v", err)
	}
	if _, _, err := (Retention{Days: -1}).Effective(); err == nil || !strings.Contains(err.Error(), "retention.days") {
		t.Errorf("negative days: %v", err)
	}
}
