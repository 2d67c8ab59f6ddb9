package rules

import "testing"

// Issue 16 §2.1: disabling and re-enabling a policy keeps its violations'
// Opened time; a violation that closed as compliant and fails again starts
// a new age (TestFailOpensPassCloses).
func TestReenabledPolicyKeepsOpenedAge(t *testing.T) {
	t.Parallel()
	w := newWorld()
	w.cycle(t, ReconcileInput{}, map[string]bool{"i-1": false})
	opened := w.get(t, "i-1").OpenedAt
	w.cycle(t, ReconcileInput{Disabled: map[string]bool{"imds": true}}, nil)
	wantStatus(t, w.get(t, "i-1"), StatusClosed, ReasonPolicyDisabled)
	w.cycle(t, ReconcileInput{}, map[string]bool{"i-1": false})
	v := w.get(t, "i-1")
	wantStatus(t, v, StatusOpen, "")
	if !v.OpenedAt.Equal(opened) {
		t.Fatalf("re-enabled violation opened at %v, want its first opening %v", v.OpenedAt, opened)
	}
	if n := len(v.History); n != 3 || v.History[2].From != StatusClosed {
		t.Fatalf("history %+v: want open, closed (disabled), open", v.History)
	}
}
