package report

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/asset"
)

// attacks are untrusted strings an attacker can put in a resource name, tag
// or ID: terminal escapes (7- and 8-bit), bidi overrides, raw HTML, Markdown
// links and images, autolinks, table breaks, code fences and formulas.
var attacks = []string{
	"plain-bucket",
	"arn:aws:s3:::bkt\u202etxt.exe",
	"\xc2\x9d52;c;ZWNobyBwd25lZA==\x07\xc2\x9b2J",
	"\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\",
	"<script>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	"[click](http://evil.example/x)",
	"![img](http://evil.example/p.png)",
	"[ref]: http://evil.example",
	"https://evil.example www.evil.example a@evil.example",
	"a | b | c",
	"``` code ``` `x`",
	"*bold* _em_ ~~del~~ \\ trailing\\",
	"&lt;script&gt; &#60;x&#62;",
	"=HYPERLINK(\"http://evil\",\"x\")",
	"+1+1", "-2+3", "@SUM(A1)", "  =1", "\t=1",
	"line\nbreak\r\n# heading",
	"",
}

// mdSafe reports where s breaks MarkdownText's promise: outside entities and
// backslash escapes it holds no ASCII punctuation, so nothing can be parsed
// as markup; "" when it holds.
func mdSafe(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&':
			ok := false
			for _, e := range []string{"&lt;", "&gt;", "&amp;"} {
				if strings.HasPrefix(s[i:], e) {
					i += len(e) - 1
					ok = true
					break
				}
			}
			if !ok {
				return "bare & at " + s[i:]
			}
		case c == '\\':
			if i+1 >= len(s) || !isASCIIPunct(s[i+1]) {
				return "dangling backslash"
			}
			i++
		case c == '<' || c == '>':
			return "raw angle bracket"
		case isASCIIPunct(c):
			return "unescaped " + string(c)
		}
	}
	return ""
}

func noUnsafe(t *testing.T, what, in, out string) {
	t.Helper()
	for _, r := range out {
		if asset.Unsafe(r) {
			t.Fatalf("%s(%q) = %q keeps %U", what, in, out, r)
		}
	}
}

func FuzzMarkdownText(f *testing.F) {
	for _, s := range attacks {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := MarkdownText(in)
		noUnsafe(t, "MarkdownText", in, out)
		if why := mdSafe(out); why != "" {
			t.Fatalf("MarkdownText(%q) = %q: %s", in, out, why)
		}
		for _, bad := range []string{"<", "](", "://", "www.", "\n"} {
			if strings.Contains(out, bad) {
				t.Fatalf("MarkdownText(%q) = %q: raw %q survives", in, out, bad)
			}
		}
	})
}

func FuzzCSVCell(f *testing.F) {
	for _, s := range attacks {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		cell := CSVCell(in)
		noUnsafe(t, "CSVCell", in, cell)
		var b strings.Builder
		w := csv.NewWriter(&b)
		if err := w.Write([]string{cell, "x"}); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		rec, err := csv.NewReader(strings.NewReader(b.String())).Read()
		if err != nil || len(rec) != 2 || rec[0] != cell {
			t.Fatalf("CSVCell(%q) = %q does not round-trip as one cell: %q, %v", in, cell, rec, err)
		}
		if t2 := strings.TrimLeft(cell, " "); t2 != "" && strings.ContainsRune("=+-@\t\r", rune(t2[0])) {
			t.Fatalf("CSVCell(%q) = %q: a spreadsheet reads it as a formula", in, cell)
		}
		if c := asset.Clean(in); cell != c && cell != "'"+c {
			t.Fatalf("CSVCell(%q) = %q: changed more than the guard", in, cell)
		}
	})
}
