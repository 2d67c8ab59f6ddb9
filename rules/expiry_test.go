package rules

import (
	"testing"
	"time"
)

func TestParseExpiryForms(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	cases := map[string]time.Time{
		"12h":                  now.Add(12 * time.Hour),
		"30d":                  now.AddDate(0, 0, 30),
		"2w":                   now.AddDate(0, 0, 14),
		"2026-12-31":           time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC),
		" 2026-12-07 ":         time.Date(2026, 12, 7, 23, 59, 59, 0, time.UTC),
		"2027-01-02T03:04:05Z": time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	for in, want := range cases {
		got, err := ParseExpiry(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseExpiry(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

func TestParseExpiryRefuses(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	for _, in := range []string{"", "d", "0d", "-3d", "3y", "tomorrow", "2026-12-06", "2026-01-01T00:00:00Z", "2026-13-01"} {
		if got, err := ParseExpiry(in, now); err == nil {
			t.Errorf("ParseExpiry(%q) = %v, want an error", in, got)
		}
	}
}

func TestSeverityRankWeight(t *testing.T) {
	t.Parallel()
	prev := -1
	for _, s := range Severities() {
		if s.Rank() <= prev {
			t.Fatalf("%s rank %d not after %d", s, s.Rank(), prev)
		}
		prev = s.Rank()
	}
	if Severity("bogus").Rank() <= Severity(SeverityLow).Rank() {
		t.Fatal("unknown severity must sort last")
	}
	w := map[Severity]int{SeverityCritical: 10, SeverityHigh: 5, SeverityMedium: 3, SeverityLow: 1, "x": 0}
	for s, want := range w {
		if s.Weight() != want {
			t.Errorf("%s weight %d, want %d", s, s.Weight(), want)
		}
	}
	if !Severity(SeverityCritical).AtLeast(SeverityHigh) || Severity(SeverityMedium).AtLeast(SeverityHigh) {
		t.Fatal("AtLeast wrong")
	}
	if _, err := ParseSeverity("HIGH"); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseSeverity("severe"); err == nil {
		t.Fatal("ParseSeverity accepted severe")
	}
}
