package tui

import (
	"strings"
)

// bigDigits is a three-line block font for the headline percentage.
func bigDigits() map[rune][3]string {
	return map[rune][3]string{
		'0': {"█▀█", "█ █", "▀▀▀"}, '1': {"▀█ ", " █ ", "▀▀▀"}, '2': {"▀▀█", "█▀▀", "▀▀▀"},
		'3': {"▀▀█", " ▀█", "▀▀▀"}, '4': {"█ █", "▀▀█", "  ▀"}, '5': {"█▀▀", "▀▀█", "▀▀▀"},
		'6': {"█▀▀", "█▀█", "▀▀▀"}, '7': {"▀▀█", "  █", "  ▀"}, '8': {"█▀█", "█▀█", "▀▀▀"},
		'9': {"█▀█", "▀▀█", "▀▀▀"}, '%': {"▀ █", " █ ", "█ ▄"}, '-': {"   ", "▀▀▀", "   "},
	}
}

// bigText renders digits and % three lines tall.
func bigText(s string) [3]string {
	font := bigDigits()
	var out [3]string
	for _, r := range s {
		g, ok := font[r]
		if !ok {
			continue
		}
		for i := range out {
			out[i] += g[i] + " "
		}
	}
	return out
}

// eighths are the partial blocks used by the charts, from empty to full.
const eighths = " ▁▂▃▄▅▆▇█"

// trendChart draws values (oldest first) as a block chart w columns by h
// rows with the y range labelled on the left. With fewer than two points it
// says so instead of drawing a misleading line.
func trendChart(values []int, w, h int) string {
	if len(values) < 2 {
		return "not enough history yet (need 2 days, have " + itoa(len(values)) + ")"
	}
	if h < 1 {
		h = 1
	}
	const labelW = 5
	cols := w - labelW
	if cols < 2 {
		cols = 2
	}
	if len(values) > cols {
		values = values[len(values)-cols:]
	}
	lo, hi := values[0], values[0]
	for _, v := range values {
		lo, hi = min(lo, v), max(hi, v)
	}
	lo, hi = max(0, lo-5), min(100, hi+5)
	if hi <= lo {
		hi = lo + 1
	}
	blocks := []rune(eighths)
	rows := make([]strings.Builder, h)
	for _, v := range values {
		e := (v - lo) * h * 8 / (hi - lo)
		for r := 0; r < h; r++ {
			rb := h - 1 - r
			switch {
			case e >= (rb+1)*8:
				rows[r].WriteRune('█')
			case e > rb*8:
				rows[r].WriteRune(blocks[e-rb*8])
			default:
				rows[r].WriteRune(' ')
			}
		}
	}
	lines := make([]string, h)
	for r := range rows {
		label := "    │"
		switch r {
		case 0:
			label = padLeft(itoa(hi), 3) + "%│"
		case h - 1:
			label = padLeft(itoa(lo), 3) + "%│"
		}
		lines[r] = label + rows[r].String()
	}
	return strings.Join(lines, "\n")
}

// bar draws n out of total as a horizontal bar w cells wide.
func bar(n, total, w int) string {
	if total <= 0 || w <= 0 {
		return ""
	}
	e := n * w * 8 / total
	if n > 0 && e == 0 {
		e = 1
	}
	blocks := []rune(eighths)
	var b strings.Builder
	b.WriteString(strings.Repeat("█", e/8))
	if e%8 > 0 {
		b.WriteRune(blocks[e%8])
	}
	return b.String()
}

func padLeft(s string, w int) string {
	if len(s) >= w {
		return s
	}
	return strings.Repeat(" ", w-len(s)) + s
}
