package tui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

// A column filter keeps only the columns it names; a free-text term needs
// them all; the rows it selects are the same either way.
func TestTableFilterKeepsOnlyTheColumnsItNames(t *testing.T) {
	r := lipgloss.NewRenderer(nil)
	c := &common{r: r, st: NewStyles(r), keys: DefaultKeyMap()}
	tbl := newTable(c, []column{{title: "Severity"}, {title: "Status"}, {title: "Policy"}})
	rows := [][]string{{"high", "open", "S3-Public"}, {"low", "closed", "IAM-MFA"}, {"High", "exempt", "s3-logging"}}
	tbl.SetRows(len(rows), func(i int) []string { return rows[i] })
	shown := func() []string {
		var out []string
		for pos := range tbl.Len() {
			out = append(out, rows[tbl.index(pos)][2])
		}
		return out
	}
	tbl.SetFilter("!status:closed")
	if got := fmt.Sprint(shown()); got != "[S3-Public s3-logging]" {
		t.Errorf("!status:closed shows %s", got)
	}
	if tbl.lower[0] != nil || tbl.lower[2] != nil || tbl.lower[1] == nil {
		t.Errorf("!status:closed kept columns severity %v, status %v, policy %v; want status only",
			tbl.lower[0] != nil, tbl.lower[1] != nil, tbl.lower[2] != nil)
	}
	tbl.SetFilter("s3 sev:high")
	if got := fmt.Sprint(shown()); got != "[S3-Public s3-logging]" {
		t.Errorf("\"s3 sev:high\" shows %s", got)
	}
	for col, l := range tbl.lower {
		if l == nil {
			t.Errorf("a free-text term left column %d unbuilt", col)
		}
	}
	tbl.SetRows(1, func(i int) []string { return rows[1] })
	if got := tbl.Len(); got != 0 {
		t.Errorf("after new rows: %d rows pass \"s3 sev:high\", want 0", got)
	}
}
