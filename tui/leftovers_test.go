package tui

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// Worst first means what still needs work first: open violations of any
// severity before exempt ones, closed last.
func TestWorstFirstPutsOpenBeforeExempt(t *testing.T) {
	vs := []rules.Violation{
		{ID: "exempt-critical", Status: rules.StatusExempt, Severity: rules.SeverityCritical},
		{ID: "closed-critical", Status: rules.StatusClosed, Severity: rules.SeverityCritical},
		{ID: "open-low", Status: rules.StatusOpen, Severity: rules.SeverityLow},
		{ID: "exempt-low", Status: rules.StatusExempt, Severity: rules.SeverityLow},
		{ID: "open-critical", Status: rules.StatusOpen, Severity: rules.SeverityCritical},
	}
	sortViolations(vs)
	var got []string
	for _, v := range vs {
		got = append(got, v.ID)
	}
	want := []string{"open-critical", "open-low", "exempt-critical", "exempt-low", "closed-critical"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("worst-first order %v, want %v", got, want)
	}
}

// A long ARN in the fixes list keeps its start (service, region, account)
// and its end (the resource), losing the middle.
func TestFixesPageKeepsBothEndsOfLongARNs(t *testing.T) {
	b := fixtureBackend()
	arn := "arn:aws:ec2:ap-southeast-2:111111111111:security-group/sg-0123456789abcdef0"
	b.fixes = []fix.Record{{ID: "fix-1", Action: "sg-close-ssh", Status: fix.RecordApplied, By: "alice",
		At: testNow, AssetID: arn}}
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("fixes")
	d.key("enter")
	d.mustSee("sg-0123456789abcdef0")
	d.mustSee("arn:aws:ec2")
	if v := d.view(); strings.Contains(v, arn) || !strings.Contains(v, "…") {
		t.Errorf("at 120 columns the ARN should lose its middle:\n%s", v)
	}
}

func TestFitMiddle(t *testing.T) {
	cases := []struct {
		s    string
		w    int
		want string
	}{
		{"short", 8, "short   "},
		{"arn:aws:s3:::bucket-1234", 12, "arn:a…t-1234"},
		{"abcdef", 5, "ab…ef"},
		{"abcdef", 2, "a…"},
	}
	for _, c := range cases {
		if got := fitMiddle(c.s, c.w); got != c.want {
			t.Errorf("fitMiddle(%q, %d) = %q, want %q", c.s, c.w, got, c.want)
		}
	}
}

// Renaming the group the console is scoped to moves the console to the new
// name instead of leaving it on a group that no longer exists.
func TestRenamingTheCurrentGroupFollowsIt(t *testing.T) {
	b := fixtureBackend()
	if err := b.SaveGroup(groups.Group{Name: "web", Source: "store", Types: []string{"aws.ec2.instance"}}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, b, Options{})
	d.key("g")
	d.typeText("web")
	d.key("enter")
	if d.m.c.group != "web" {
		t.Fatalf("group %q, want web", d.m.c.group)
	}
	d.key(":")
	d.typeText("groups")
	d.key("enter", "G", "E")
	if _, ok := d.m.overlay.(*groupEditor); !ok {
		t.Fatalf("E opened %T", d.m.overlay)
	}
	d.typeText("-prod")
	d.key("enter")
	d.mustSee("renamed to web-prod")
	if d.m.c.group != "web-prod" {
		t.Fatalf("after renaming the current group web to web-prod the console is on %q", d.m.c.group)
	}
	if v := d.view(); strings.Contains(v, "no group") || strings.Contains(v, "not found") {
		t.Errorf("the console still looks for the old group:\n%s", v)
	}
	d.key("esc", "g")
	if v := d.view(); !strings.Contains(v, "> • web-prod") || strings.Contains(v, " web\n") {
		t.Errorf("the picker should list web-prod as current and no longer web:\n%s", v)
	}
}
