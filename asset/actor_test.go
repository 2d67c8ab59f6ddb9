package asset

import (
	"errors"
	"testing"
)

func TestRolesAllowByRank(t *testing.T) {
	cases := []struct {
		role Role
		act  Action
		ok   bool
	}{
		{RoleViewer, ActFix, false},
		{RoleViewer, ActGroupEdit, false},
		{RoleOperator, ActFix, true},
		{RoleOperator, ActExceptionAdd, true},
		{RoleOperator, ActScan, true},
		{RoleOperator, ActExceptionRevoke, false},
		{RoleOperator, ActPolicyEdit, false},
		{RoleAdmin, ActPolicyEdit, true},
		{RoleAdmin, ActFix, true},
		{Role(""), ActFix, false},
	}
	for _, c := range cases {
		err := Actor{Name: "x", Role: c.role}.Check(c.act)
		if (err == nil) != c.ok {
			t.Errorf("%s %s: err=%v, want ok=%v", c.role, c.act, err, c.ok)
		}
		if err != nil && !errors.Is(err, ErrRefused) {
			t.Errorf("%s %s: %v is not ErrRefused", c.role, c.act, err)
		}
	}
}

func TestParseRole(t *testing.T) {
	if r, err := ParseRole(" Operator "); err != nil || r != RoleOperator {
		t.Fatalf("ParseRole = %q, %v", r, err)
	}
	if _, err := ParseRole("root"); err == nil {
		t.Fatal("ParseRole(root) accepted")
	}
}

func TestActorString(t *testing.T) {
	a := Actor{Name: "otto", Role: RoleOperator, Via: ViaSSH}
	if got := a.String(); got != "otto (operator via ssh)" {
		t.Fatalf("String = %q", got)
	}
	if got := (Actor{Name: "ci"}).String(); got != "ci" {
		t.Fatalf("String = %q", got)
	}
}
