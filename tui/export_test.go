package tui

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exportFixture is the fixture plus a bucket whose name is a spreadsheet
// formula (an attacker controls bucket names).
func exportFixture() *fakeBackend {
	as := fixtureAssets()
	evil := as[0]
	evil.ID, evil.Name = "arn:aws:s3:::evil", "=HYPERLINK(\"http://x\")"
	evil.Attrs = map[string]any{"public_access_block": map[string]any{"configured": false}}
	return newFakeBackend(append(as, evil))
}

func TestExportCSVWritesTheFilteredListSafelyAndPrivately(t *testing.T) {
	t.Parallel()
	b := exportFixture()
	d, p := violationsWith(t, b, "policy:s3-bucket-public")
	want := p.tbl.Len()
	path := filepath.Join(t.TempDir(), "out.csv")
	d.key(":")
	d.typeText("export csv " + path)
	d.key("enter")
	d.mustSee("exported " + itoa(want) + " rows")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("export file mode %v, want 0600", st.Mode().Perm())
	}
	f, _ := os.Open(path)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != want+1 || recs[0][0] != "Severity" {
		t.Fatalf("%d records (header %v), want a header and %d rows", len(recs), recs[0], want)
	}
	found := false
	for _, r := range recs[1:] {
		for _, c := range r {
			if strings.Contains(c, "HYPERLINK") {
				found = true
				if !strings.HasPrefix(c, "'=") {
					t.Fatalf("formula cell written as %q, want it prefixed with '", c)
				}
			}
		}
	}
	if !found {
		t.Fatal("the formula-named bucket is not in the export")
	}
}

func TestExportJSONFollowsTheSort(t *testing.T) {
	t.Parallel()
	d, p := violationsWith(t, fixtureBackend(), "")
	d.key("S") // the page's order reversed: low first
	path := filepath.Join(t.TempDir(), "out.json")
	d.key(":")
	d.typeText("export json " + path)
	d.key("enter")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	if err := json.Unmarshal(raw, &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != p.tbl.Len() || rows[0]["severity"] != "low" || rows[len(rows)-1]["severity"] != "critical" {
		t.Fatalf("%d rows, first %v: want %d rows in the reversed order", len(rows), rows[0], p.tbl.Len())
	}
}

func TestExportNeedsFormatAndFile(t *testing.T) {
	t.Parallel()
	d, _ := violationsWith(t, fixtureBackend(), "")
	d.key(":")
	d.typeText("export xml /tmp/x")
	d.key("enter")
	d.mustSee("usage: :export csv|json FILE")
}
