package asset

import (
	"fmt"
	"strings"
	"unicode"
)

func fmtAny(v any) string { return fmt.Sprint(v) }

// Clean makes an untrusted string (a name, tag or message written by whoever
// can tag a resource) safe to draw on a terminal: it drops escape sequences
// (CSI, OSC, DCS and other ESC-introduced sequences), C0 and C1 control
// characters, and replaces tabs and newlines with a space.
func Clean(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == unicode.ReplacementChar || r == '\u2028' || r == '\u2029' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == 0x1b || r == 0x9b || r == 0x9d || r == 0x90:
			i = skipEscape(rs, i)
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || r == '\u2028' || r == '\u2029' || r == unicode.ReplacementChar:
			// drop other control characters and bytes that are not UTF-8
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// skipEscape returns the index of the last rune of the escape sequence that
// starts at i.
func skipEscape(rs []rune, i int) int {
	r := rs[i]
	kind := rune(0)
	switch r {
	case 0x9b:
		kind = '['
	case 0x9d:
		kind = ']'
	case 0x90:
		kind = 'P'
	default:
		if i+1 >= len(rs) {
			return i
		}
		i++
		kind = rs[i]
	}
	switch kind {
	case '[': // CSI: parameters and intermediates, then one final byte 0x40-0x7e
		for i+1 < len(rs) {
			i++
			if rs[i] >= 0x40 && rs[i] <= 0x7e {
				return i
			}
		}
		return i
	case ']', 'P', 'X', '^', '_': // string sequences end at BEL or ST (ESC \ or 0x9c)
		for i+1 < len(rs) {
			i++
			if rs[i] == 0x07 || rs[i] == 0x9c {
				return i
			}
			if rs[i] == 0x1b && i+1 < len(rs) && rs[i+1] == '\\' {
				return i + 1
			}
		}
		return i
	default: // two-character escape (ESC c, ESC 7, ESC ( B ...)
		if (kind == '(' || kind == ')' || kind == '#' || kind == '%') && i+1 < len(rs) {
			return i + 1
		}
		return i
	}
}
