package main

import (
	"os"
	"strconv"
	"strings"
)

// darkBackground guesses the terminal's background without querying it:
// COLORFGBG ("fg;bg", bg 0-6 or 8 is dark) when the terminal sets it, else
// dark. Querying (OSC 11) can stall for seconds on terminals and
// multiplexers that never answer, before the first frame is drawn.
func darkBackground() bool {
	v := os.Getenv("COLORFGBG")
	if v == "" {
		return true
	}
	parts := strings.Split(v, ";")
	bg, err := strconv.Atoi(parts[len(parts)-1])
	if err != nil {
		return true
	}
	return bg <= 6 || bg == 8
}
