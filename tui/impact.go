package tui

import (
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/cycle"
)

// impactLine says what an action covers before it is confirmed: "exempts
// 16 violations: 16 critical, 0 high".
func impactLine(st *Styles, verb string, im cycle.Impact) string {
	s := verb + " " + plural(im.Violations, "violation") + ": " + itoa(im.Critical) + " critical, " + itoa(im.High) + " high"
	if im.Critical > 0 {
		return st.Danger.Render(s)
	}
	if im.High > 0 {
		return st.Warn.Render(s)
	}
	return s
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// typedConfirm is the confirmation of an action on critical violations or
// on many (cycle.Impact.NeedsTypedConfirm): the operator types the number
// of violations it covers, so one stray Enter never exempts or fixes them.
type typedConfirm struct {
	in   lineInput
	want string
}

func newTypedConfirm(c *common, im cycle.Impact) typedConfirm {
	in := newInput(c, "type "+itoa(im.Violations)+" to confirm: ", "")
	in.Focus()
	return typedConfirm{in: in, want: itoa(im.Violations)}
}

// ok reports whether what was typed matches.
func (t *typedConfirm) ok() bool { return strings.TrimSpace(t.in.Value()) == t.want }
