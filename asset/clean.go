package asset

import (
	"fmt"
	"strings"
	"unicode"
)

func fmtAny(v any) string { return fmt.Sprint(v) }

// Clean makes an untrusted string (a name, tag or message written by whoever
// can tag a resource, or AWS data quoted in an error) safe to draw on a
// terminal: it drops escape sequences (CSI, OSC, DCS and other ESC-introduced
// sequences, in their 7-bit and 8-bit forms), C0 and C1 control characters,
// the bidirectional controls that reorder what is shown (`bkt\u202etxt.exe`
// would read as "bktexe.txt"), and replaces tabs and newlines with a space.
// It is the one terminal sanitiser: every print path of untrusted text uses it.
func Clean(s string) string {
	clean := true
	for _, r := range s {
		if Unsafe(r) {
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
		case r == 0x1b || r == 0x9b || r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f:
			i = skipEscape(rs, i)
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case Unsafe(r):
			// drop other control characters, bidi controls and bytes that are not UTF-8
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Unsafe reports whether r may not reach a terminal or a report as it is:
// C0 and C1 controls, DEL, the line and paragraph separators, the Unicode
// bidirectional controls, and the replacement rune that stands for bytes
// that are not UTF-8.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return true
	case r == '\u2028' || r == '\u2029' || r == unicode.ReplacementChar:
		return true
	}
	return Bidi(r)
}

// Bidi reports whether r is a Unicode bidirectional formatting control:
// the embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069,
// the marks U+200E/U+200F and the Arabic letter mark U+061C.
func Bidi(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') ||
		r == '\u200e' || r == '\u200f' || r == '\u061c'
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
	case 0x98:
		kind = 'X'
	case 0x9e:
		kind = '^'
	case 0x9f:
		kind = '_'
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
