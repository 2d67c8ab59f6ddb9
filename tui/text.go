package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/vigil-sec/vigil/asset"
)

// text is the one gate every string from the store passes through before it
// is drawn: escape sequences and control characters become inert.
func text(s string) string { return asset.Clean(s) }

// cell sanitises s and fits it to exactly w columns (truncated with an
// ellipsis, or padded with spaces).
func cell(s string, w int) string {
	return fit(text(s), w)
}

// fit pads or truncates an already safe (possibly styled) string to w columns.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := ansi.StringWidth(s)
	if n > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-n)
}

// fitMiddle is fit for identifiers whose both ends matter (ARNs: service,
// region and account at the start, the resource at the end): a long s
// loses its middle, marked with an ellipsis, and keeps the larger part of
// w for its end.
func fitMiddle(s string, w int) string {
	n := ansi.StringWidth(s)
	if n <= w || w < 3 {
		return fit(s, w)
	}
	head := (w - 1) / 2
	tail := w - 1 - head
	return ansi.Truncate(s, head, "") + "…" + ansi.TruncateLeft(s, n-tail, "")
}

// clip truncates each line of an already safe block to w columns and keeps at
// most h lines, padding to h lines.
func clip(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// wrap word-wraps an already safe string to lines of at most w columns.
func wrap(s string, w int) []string {
	return strings.Split(ansi.Wrap(s, w, ""), "\n")
}

func itoa(i int) string { return strconv.Itoa(i) }

// ago renders a duration since t for humans: "3h ago", "just now", "never".
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return itoa(int(d/time.Minute)) + "m ago"
	case d < 48*time.Hour:
		return itoa(int(d/time.Hour)) + "h ago"
	default:
		return itoa(int(d/(24*time.Hour))) + "d ago"
	}
}

// age is how long ago t was, compactly for a list column: "now", "5m",
// "3h", "12d" ("-" when unknown).
func age(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	if s := ago(now, t); s != "just now" {
		return strings.TrimSuffix(s, " ago")
	}
	return "now"
}

// shortTime renders a timestamp compactly in UTC.
func shortTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}
