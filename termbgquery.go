package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// bgQueryTimeout bounds the OSC 11 query: it runs while the store opens,
// so the console waits at most what is left of it before the first frame.
const bgQueryTimeout = 150 * time.Millisecond

// themeDark decides the console's palette from the config's theme:
// "dark" and "light" win; "auto" (the default) reads COLORFGBG when the
// terminal sets it, else asks the terminal (query; ok false when it did not
// answer), else dark.
func themeDark(theme string, query func() (dark, ok bool)) (bool, error) {
	switch theme {
	case "dark":
		return true, nil
	case "light":
		return false, nil
	case "", "auto":
		if os.Getenv("COLORFGBG") != "" {
			return darkBackground(), nil
		}
		if query != nil {
			if dark, ok := query(); ok {
				return dark, nil
			}
		}
		return true, nil
	}
	return true, fmt.Errorf("config theme %q: use auto, dark or light", theme)
}

// startBackgroundQuery asks the terminal for its background colour (OSC
// 11) in the background and returns a function that waits for the answer
// (at most bgQueryTimeout after the start). Off a terminal, or when
// COLORFGBG already says, it asks nothing.
func startBackgroundQuery(in, out *os.File) func() (dark, ok bool) {
	if os.Getenv("COLORFGBG") != "" || !term.IsTerminal(int(in.Fd())) || !term.IsTerminal(int(out.Fd())) {
		return func() (bool, bool) { return false, false }
	}
	type answer struct{ dark, ok bool }
	ch := make(chan answer, 1)
	go func() {
		d, ok := queryBackground(in, out, bgQueryTimeout)
		ch <- answer{d, ok}
	}()
	return func() (bool, bool) {
		a := <-ch
		return a.dark, a.ok
	}
}

// queryBackground writes OSC 11 and a cursor position request (DSR, which
// every terminal answers, so one that ignores OSC 11 does not cost the
// whole timeout) and reads the replies in raw mode until the DSR reply or
// the deadline.
func queryBackground(in, out *os.File, timeout time.Duration) (dark, ok bool) {
	fd := int(in.Fd())
	old, err := term.MakeRaw(fd)
	if err != nil {
		return false, false
	}
	defer term.Restore(fd, old) //nolint:errcheck // best effort: the console sets its own mode next
	if _, err := out.WriteString("\x1b]11;?\x1b\\\x1b[6n"); err != nil {
		return false, false
	}
	deadline := time.Now().Add(timeout)
	var got []byte
	buf := make([]byte, 64)
	for !strings.Contains(string(got), "R") || !strings.Contains(string(got), "\x1b[") {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		var rfds unix.FdSet
		rfds.Set(fd)
		tv := unix.NsecToTimeval(left.Nanoseconds())
		n, err := unix.Select(fd+1, &rfds, nil, nil, &tv)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			break
		}
		r, err := in.Read(buf)
		if err != nil || r == 0 {
			break
		}
		got = append(got, buf[:r]...)
	}
	return parseOSC11(string(got))
}

// parseOSC11 reads "\x1b]11;rgb:RRRR/GGGG/BBBB" (1-4 hex digits a
// channel) out of a terminal's reply and says whether it is dark.
func parseOSC11(reply string) (dark, ok bool) {
	i := strings.Index(reply, "]11;rgb:")
	if i < 0 {
		return false, false
	}
	s := reply[i+len("]11;rgb:"):]
	if end := strings.IndexAny(s, "\x1b\x07"); end >= 0 {
		s = s[:end]
	}
	parts := strings.Split(s, "/")
	if len(parts) != 3 {
		return false, false
	}
	var c [3]float64
	for j, p := range parts {
		if p == "" || len(p) > 4 {
			return false, false
		}
		v, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return false, false
		}
		c[j] = float64(v) / float64(uint64(1)<<(4*len(p))-1)
	}
	lum := 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
	return lum < 0.5, true
}
