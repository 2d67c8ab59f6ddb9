package asset

import "strings"

// CSVCell makes an untrusted string a safe spreadsheet cell: controls go
// (Clean), and a cell a spreadsheet would read as a formula (starting with
// `=`, `+`, `-`, `@`, or those after leading spaces) is prefixed with `'`,
// as OWASP's CSV-injection guidance says. Every CSV vigil writes (reports,
// the console's :export) goes through it.
func CSVCell(s string) string {
	s = Clean(s)
	t := strings.TrimLeft(s, " ")
	if t != "" && strings.ContainsRune("=+-@", rune(t[0])) {
		return "'" + s
	}
	return s
}
