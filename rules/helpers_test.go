package rules

import (
	"testing"
	"time"
)

func TestDaysSince(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	cases := map[string]int64{
		"":                          -1,
		"yesterday":                 -1,
		"2026-11-25T11:00:00Z":      0,
		"2026-11-24T12:00:00Z":      1,
		"2026-11-24T12:00:01Z":      0, // not a whole day yet
		"2026-08-27T12:00:00Z":      90,
		"2026-11-25T14:00:00+02:00": 0,
	}
	for in, want := range cases {
		if got := DaysSince(in, now); got != want {
			t.Errorf("DaysSince(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestWorldOpenAndCoversPort(t *testing.T) {
	rule := func(proto string, from, to int64, cidr string) map[string]any {
		return map[string]any{"protocol": proto, "from_port": from, "to_port": to, "cidr": cidr}
	}
	if !WorldOpen(rule("tcp", 22, 22, "0.0.0.0/0")) || !WorldOpen(rule("tcp", 22, 22, "::/0")) {
		t.Error("0.0.0.0/0 and ::/0 must be world open")
	}
	if WorldOpen(rule("tcp", 22, 22, "10.0.0.0/8")) || WorldOpen(rule("tcp", 22, 22, "")) {
		t.Error("private and empty cidrs are not world open")
	}
	cases := []struct {
		r    map[string]any
		port int64
		want bool
	}{
		{rule("tcp", 22, 22, ""), 22, true},
		{rule("tcp", 0, 1024, ""), 22, true},
		{rule("tcp", 23, 1024, ""), 22, false},
		{rule("tcp", 1, 21, ""), 22, false},
		{rule("-1", 0, 65535, ""), 3389, true},
		{rule("udp", 0, 65535, ""), 22, false},
		{rule("icmp", -1, -1, ""), 22, false},
		{map[string]any{"protocol": "tcp", "from_port": 22, "to_port": 22}, 22, true}, // YAML ints
	}
	for _, c := range cases {
		if got := CoversPort(c.r, c.port); got != c.want {
			t.Errorf("CoversPort(%v, %d) = %v, want %v", c.r, c.port, got, c.want)
		}
	}
}

func TestWildcardMatch(t *testing.T) {
	cases := []struct {
		p, s string
		want bool
	}{
		{"*", "s3:GetObject", true},
		{"s3:*", "s3:GetObject", true},
		{"s3:Get*", "s3:getobject", true},
		{"S3:GETOBJECT", "s3:GetObject", true},
		{"s3:Put*", "s3:GetObject", false},
		{"s3:?etObject", "s3:GetObject", true},
		{"s3:*Object", "s3:GetObject", true},
		{"s3:*Acl", "s3:GetObject", false},
		{"s3:GetObject", "s3:GetObjectAcl", false},
		{"", "s3:GetObject", false},
	}
	for _, c := range cases {
		if got := WildcardMatch(c.p, c.s); got != c.want {
			t.Errorf("WildcardMatch(%q, %q) = %v, want %v", c.p, c.s, got, c.want)
		}
	}
}

func stmt(effect string, principals, actions []any, conds map[string]any) map[string]any {
	return map[string]any{"sid": "", "effect": effect, "principals": principals, "not_principal": false,
		"actions": actions, "resources": []any{"*"}, "conditions": conds}
}

func TestAllowsPublic(t *testing.T) {
	doc := func(ss ...map[string]any) map[string]any {
		l := make([]any, len(ss))
		for i, s := range ss {
			l[i] = s
		}
		return map[string]any{"version": "2012-10-17", "statements": l}
	}
	star := []any{"*"}
	cases := []struct {
		name   string
		doc    map[string]any
		action string
		want   bool
	}{
		{"null policy", nil, "s3:GetObject", false},
		{"public get", doc(stmt("Allow", star, []any{"s3:GetObject"}, map[string]any{})), "s3:GetObject", true},
		{"wildcard action", doc(stmt("Allow", star, []any{"s3:Get*"}, nil)), "s3:GetObject", true},
		{"other action", doc(stmt("Allow", star, []any{"s3:PutObject"}, nil)), "s3:GetObject", false},
		{"deny is not public", doc(stmt("Deny", star, []any{"*"}, nil)), "s3:GetObject", false},
		{"named principal", doc(stmt("Allow", []any{"arn:aws:iam::1:root"}, []any{"*"}, nil)), "s3:GetObject", false},
		{"narrowed by source account", doc(stmt("Allow", star, []any{"*"},
			map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": []any{"1"}}})), "s3:GetObject", false},
		{"narrowed by org, any case", doc(stmt("Allow", star, []any{"*"},
			map[string]any{"StringEquals": map[string]any{"AWS:PrincipalOrgID": []any{"o-1"}}})), "s3:GetObject", false},
		{"unrelated condition keeps it public", doc(stmt("Allow", star, []any{"*"},
			map[string]any{"Bool": map[string]any{"aws:SecureTransport": []any{"true"}}})), "s3:GetObject", true},
		{"not_principal allow", doc(map[string]any{"effect": "Allow", "principals": []any{"arn:aws:iam::1:root"},
			"not_principal": true, "actions": []any{"*"}}), "s3:PutObject", true},
		{"second statement public", doc(stmt("Deny", star, []any{"*"}, nil), stmt("Allow", star, []any{"s3:*"}, nil)), "s3:PutObject", true},
	}
	for _, c := range cases {
		if got := AllowsPublic(c.doc, c.action); got != c.want {
			t.Errorf("%s: AllowsPublic = %v, want %v", c.name, got, c.want)
		}
	}
}
