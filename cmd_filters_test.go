package main

import (
	"errors"
	"strings"
	"testing"
)

// A filter value that names nothing exits 2 and says what exists.
func TestUnknownFilterValueExitsTwoWithASuggestion(t *testing.T) {
	t.Parallel()
	known := []string{"open", "exempt", "closed"}
	for _, c := range []struct{ got, want string }{
		{"opne", `did you mean "open"?`},
		{"bogus", "known: closed, exempt, open"},
	} {
		err := checkChoice("status", c.got, known)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != exitUsage {
			t.Fatalf("--status %s: %v, want exit %d", c.got, err, exitUsage)
		}
		if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "--status "+c.got) {
			t.Errorf("--status %s: %q, want it to say %q", c.got, err, c.want)
		}
	}
	if err := checkChoice("status", "closed", known); err != nil {
		t.Fatalf("a known value was refused: %v", err)
	}
	if err := checkChoice("type", "", known); err != nil {
		t.Fatalf("no filter was refused: %v", err)
	}
}
