package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"

	"github.com/vigil-sec/vigil/rules"
)

// junitSuites is the JUnit XML document CI dashboards read.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes one test suite per policy and one test case per (policy,
// asset of the policy's resource types in the group): an open violation is
// a failure, an exempt one is skipped, everything else passed.
func WriteJUnit(w io.Writer, d *Data) error {
	r := d.Report
	doc := junitSuites{Name: "vigil " + clean(r.Group)}
	byPolicy := map[string]map[string]int{} // policy -> asset -> violation index
	for i, v := range r.Violations {
		if byPolicy[v.PolicyID] == nil {
			byPolicy[v.PolicyID] = map[string]int{}
		}
		byPolicy[v.PolicyID][v.AssetID] = i
	}
	for _, rp := range r.Policies {
		s := junitSuite{Name: clean(rp.ID)}
		seen := map[string]bool{}
		addCase := func(assetID string) {
			seen[assetID] = true
			c := junitCase{Name: clean(assetID), Classname: clean(rp.ID)}
			if i, ok := byPolicy[rp.ID][assetID]; ok {
				v := r.Violations[i]
				switch v.Status {
				case rules.StatusOpen:
					c.Failure = &junitFailure{Message: clean(v.Message), Type: clean(v.Severity),
						Text: fmt.Sprintf("%s violation %s, open since %s", clean(v.Severity), v.ID, v.OpenedAt.UTC().Format("2006-01-02"))}
					s.Failures++
				case rules.StatusExempt:
					c.Skipped = &junitSkipped{Message: "exempt: " + clean(v.Message)}
					s.Skipped++
				}
			}
			s.Cases = append(s.Cases, c)
		}
		if p := d.Policies[rp.ID]; p != nil {
			for _, m := range d.Members {
				if slices.Contains(p.Resources, m.Type) {
					addCase(m.ID)
				}
			}
		}
		var rest []string
		for id := range byPolicy[rp.ID] {
			if !seen[id] {
				rest = append(rest, id)
			}
		}
		slices.Sort(rest)
		for _, id := range rest {
			addCase(id)
		}
		s.Tests = len(s.Cases)
		doc.Tests, doc.Failures, doc.Skipped = doc.Tests+s.Tests, doc.Failures+s.Failures, doc.Skipped+s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write the JUnit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write the JUnit report: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
