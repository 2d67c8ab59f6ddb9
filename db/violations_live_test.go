package db_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

// liveFixture is one open, one closed and one exempt violation.
func liveFixture() []rules.Violation {
	closed := t0.Add(time.Hour)
	return []rules.Violation{
		{ID: "v1", PolicyID: "p-a", AssetID: "arn:aws:s3:::b1", AssetType: "aws.s3.bucket", AssetName: "b1",
			Account: "123456789012", Region: "us-east-1", Severity: "high", Category: "security",
			Status: rules.StatusOpen, Message: "bucket b1 grants public read", OpenedAt: t0, UpdatedAt: t0,
			History: []rules.Transition{{At: t0, To: rules.StatusOpen, By: "scan"}}},
		{ID: "v2", PolicyID: "p-a", AssetID: "arn:2", Status: rules.StatusClosed, ClosedAt: &closed},
		{ID: "v3", PolicyID: "p-b", AssetID: "arn:1", Status: rules.StatusExempt, ExceptionID: "x1",
			Reason: "accepted risk", OpenedAt: t0, UpdatedAt: closed},
	}
}

func TestLiveViolationsFollowStatus(t *testing.T) {
	s := memStore(t)
	vs := liveFixture()
	if err := s.PutViolations(vs); err != nil {
		t.Fatal(err)
	}
	got, err := s.LiveViolations()
	if err != nil {
		t.Fatal(err)
	}
	want := []rules.Violation{vs[0], vs[2]}
	want[0].History = nil // live rows carry no history
	if !reflect.DeepEqual(got, want) {
		t.Errorf("LiveViolations() =\n%+v\nwant\n%+v", got, want)
	}
	if full, _ := s.Violation("v1"); len(full.History) != 1 {
		t.Errorf("Violation(v1) lost its history: %+v", full.History)
	}

	// Closing v1 and re-opening v2 moves them out of and into the index.
	vs[0].Status, vs[1].Status, vs[1].ClosedAt = rules.StatusClosed, rules.StatusOpen, nil
	if err := s.PutViolations(vs[:2]); err != nil {
		t.Fatal(err)
	}
	got, err = s.LiveViolations()
	if err != nil {
		t.Fatal(err)
	}
	if ids := violationIDs(got); !reflect.DeepEqual(ids, []string{"v2", "v3"}) {
		t.Errorf("after closing v1 and re-opening v2: live = %v, want [v2 v3]", ids)
	}
}

func TestLiveViolationsSurviveReopen(t *testing.T) {
	s, dir := diskStore(t)
	if err := s.PutViolations(liveFixture()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{true, false} {
		s, err := db.Open(dir, db.Options{ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.LiveViolations()
		if ids := violationIDs(got); err != nil || !reflect.DeepEqual(ids, []string{"v1", "v3"}) {
			t.Errorf("read-only=%v: LiveViolations() = %v, %v; want [v1 v3]", ro, ids, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func violationIDs(vs []rules.Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}
