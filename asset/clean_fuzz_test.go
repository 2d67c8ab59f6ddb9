package asset

import (
	"testing"
	"unicode/utf8"
)

// cleanAttacks are the terminal attacks named in issue 10 and older ones:
// 7- and 8-bit OSC 52 (clipboard write), CSI erase, OSC 8 links, DCS, and
// bidi overrides that make `bkt<RLO>txt.exe` read as "bktexe.txt".
var cleanAttacks = []string{
	"plain",
	"\xc2\x9d52;c;ZWNobyBwd25lZA==\x07drift",
	"\xc2\x9b2Jafter",
	"\x1b]52;c;ZWNobyBwd25lZA==\x1b\\x",
	"\x1b[2J\x1b[H",
	"\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\",
	"\x1bPq#0;2;0;0;0\x1b\\",
	"bkt\u202etxt.exe",
	"a\u2066b\u2067c\u2068d\u2069e\u200ef\u200fg\u061ch\u202ai\u202bj\u202ck\u202dl",
	"\xc2\x98sos\xc2\x9c\xc2\x9eapc\xc2\x9c\xc2\x9fpm\xc2\x9c",
	"\x9b\x9d\xff\xfe",
	"tab\tnl\ncr\r\u2028\u2029",
	"\x1b",
	"\x1b(",
	"ünïcødé ✓ 日本",
}

func FuzzClean(f *testing.F) {
	for _, s := range cleanAttacks {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Clean(in)
		if !utf8.ValidString(out) {
			t.Fatalf("Clean(%q) = %q: not valid UTF-8", in, out)
		}
		for _, r := range out {
			if Unsafe(r) {
				t.Fatalf("Clean(%q) = %q: kept unsafe rune %U", in, out, r)
			}
		}
		if again := Clean(out); again != out {
			t.Fatalf("Clean is not idempotent: Clean(%q) = %q, again %q", in, out, again)
		}
		safe := true
		for _, r := range in {
			safe = safe && !Unsafe(r)
		}
		if safe && out != in {
			t.Fatalf("Clean(%q) = %q: changed a string that was already safe", in, out)
		}
		if len(out) > len(in) {
			t.Fatalf("Clean(%q) = %q: grew", in, out)
		}
	})
}

func TestCleanStripsC1AndBidiControls(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"sg-1 \xc2\x9d52;c;ZWNobyBwd25lZA==\x07drifted", "sg-1 drifted"}, // 8-bit OSC 52 clipboard write
		{"x\xc2\x9b2Jy", "xy"},                                     // 8-bit CSI erase screen
		{"bkt\u202etxt.exe", "bkttxt.exe"},                         // right-to-left override
		{"a\u2066b\u2069c\u200ed\u200fe\u061cf", "abcdef"},         // isolates and marks
		{"\u202a\u202b\u202c\u202d", ""},                           // embeddings and pops
		{"\xc2\x9fapc payload\xc2\x9cafter", "after"},              // 8-bit APC string
		{"\u05d0\u05d1 hebrew stays", "\u05d0\u05d1 hebrew stays"}, // RTL letters are text, not controls
	}
	for _, c := range cases {
		if got := Clean(c.in); got != c.want {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
