package rules

import (
	"strings"
	"time"
)

// DaysSince returns the whole days from an RFC3339 timestamp to now, or -1
// for "" or a value that does not parse.
func DaysSince(ts string, now time.Time) int64 {
	if ts == "" {
		return -1
	}
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return -1
	}
	return int64(now.Sub(t) / (24 * time.Hour))
}

// WorldOpen reports whether a security-group rule admits the whole internet
// (cidr 0.0.0.0/0 or ::/0).
func WorldOpen(rule map[string]any) bool {
	c, _ := rule["cidr"].(string)
	return c == "0.0.0.0/0" || c == "::/0"
}

// CoversPort reports whether a security-group rule admits a TCP port: all
// protocols ("-1"), or tcp with from_port <= port <= to_port.
func CoversPort(rule map[string]any, port int64) bool {
	p, _ := rule["protocol"].(string)
	switch strings.ToLower(p) {
	case "-1", "all":
		return true
	case "tcp", "6":
		from, okf := toInt(rule["from_port"])
		to, okt := toInt(rule["to_port"])
		return okf && okt && from <= port && port <= to
	}
	return false
}

// narrowingKeys are condition keys that restrict a "*" principal to known
// callers, so the statement is not public.
var narrowingKeys = map[string]bool{
	"aws:sourcearn": true, "aws:sourceaccount": true, "aws:sourceowner": true,
	"aws:principalorgid": true, "aws:principalaccount": true, "aws:sourcevpc": true,
	"aws:sourcevpce": true, "aws:sourceip": true,
}

// AllowsPublic reports whether a normalised policy document (nil when the
// resource has none) has an Allow statement for anyone ("*" principal or
// not_principal) whose actions match action, with IAM wildcards and case
// ignored, and that no condition narrows to known callers.
func AllowsPublic(doc map[string]any, action string) bool {
	if doc == nil {
		return false
	}
	stmts, _ := doc["statements"].([]any)
	for _, s := range stmts {
		st, ok := s.(map[string]any)
		if !ok {
			continue
		}
		if eff, _ := st["effect"].(string); !strings.EqualFold(eff, "Allow") {
			continue
		}
		notPrincipal, _ := st["not_principal"].(bool)
		if !notPrincipal && !containsString(st["principals"], "*") {
			continue
		}
		if !anyActionMatches(st["actions"], action) || narrowed(st["conditions"]) {
			continue
		}
		return true
	}
	return false
}

func anyActionMatches(actions any, action string) bool {
	list, _ := actions.([]any)
	for _, a := range list {
		if p, ok := a.(string); ok && WildcardMatch(p, action) {
			return true
		}
	}
	return false
}

func narrowed(conds any) bool {
	ops, _ := conds.(map[string]any)
	for _, keys := range ops {
		km, _ := keys.(map[string]any)
		for k := range km {
			if narrowingKeys[strings.ToLower(k)] {
				return true
			}
		}
	}
	return false
}

func containsString(list any, want string) bool {
	l, _ := list.([]any)
	for _, v := range l {
		if s, ok := v.(string); ok && s == want {
			return true
		}
	}
	return false
}

// WildcardMatch matches an IAM action pattern ("s3:Get*", "*", "s3:?et*")
// against an action, ignoring case.
func WildcardMatch(pattern, s string) bool {
	p, str := strings.ToLower(pattern), strings.ToLower(s)
	// Iterative glob with backtracking on the last star.
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(str) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == str[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// toInt reads an integer document value of any numeric Go type.
func toInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	case float64:
		return int64(n), true
	case uint64:
		return int64(n), true
	}
	return 0, false
}
