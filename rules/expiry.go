package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ExpiryHelp is the accepted forms of an exception expiry, for prompts and
// flag help.
const ExpiryHelp = "30d, 2w, 12h, 2026-12-31 or RFC 3339"

// ParseExpiry reads an exception expiry, the one rule every front end uses:
// a duration from now ("12h", "30d", "2w"), a date ("2026-12-31": the end of
// that day, 23:59:59, in now's location) or an RFC 3339 instant. The result
// must lie after now.
func ParseExpiry(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("an expiry is required (%s)", ExpiryHelp)
	}
	t, err := parseExpiryForm(s, now)
	if err != nil {
		return time.Time{}, err
	}
	if !t.After(now) {
		return time.Time{}, fmt.Errorf("expiry %s is in the past (%s)", t.Format(time.RFC3339), ExpiryHelp)
	}
	return t, nil
}

func parseExpiryForm(s string, now time.Time) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02", s, now.Location()); err == nil {
		return t.AddDate(0, 0, 1).Add(-time.Second), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	bad := fmt.Errorf("expiry %q: use %s", s, ExpiryHelp)
	if len(s) < 2 {
		return time.Time{}, bad
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 {
		return time.Time{}, bad
	}
	switch s[len(s)-1] {
	case 'h':
		return now.Add(time.Duration(n) * time.Hour), nil
	case 'd':
		return now.AddDate(0, 0, n), nil
	case 'w':
		return now.AddDate(0, 0, 7*n), nil
	}
	return time.Time{}, bad
}
