package report

import (
	"strings"

	"github.com/vigil-sec/vigil/asset"
)

// MarkdownText escapes an untrusted string for Markdown prose and table
// cells: control and bidi characters go (asset.Clean), `<`, `>` and `&`
// become entities so no raw HTML survives, and every other ASCII punctuation
// character is backslash-escaped, so no link, image, emphasis, code span,
// autolink (`://`, `www.`, `@`) or table cell break (`|`) can be formed.
func MarkdownText(s string) string {
	s = asset.Clean(s)
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case c == '&':
			b.WriteString("&amp;")
		case isASCIIPunct(c):
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// isASCIIPunct is CommonMark's "ASCII punctuation character": the set a
// backslash may escape.
func isASCIIPunct(c byte) bool {
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~')
}
