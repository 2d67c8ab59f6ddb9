package asset

import (
	"encoding/json"
	"testing"
	"time"
)

// An Instant reads back the moment it was made from, in UTC, and writes
// the JSON a time.Time in UTC writes (the zero time included).
func TestInstantRoundTripAndJSON(t *testing.T) {
	local := time.FixedZone("x", 3600)
	for _, tm := range []time.Time{
		time.Date(2026, 3, 1, 12, 30, 0, 123456789, time.UTC),
		time.Date(2026, 3, 1, 13, 30, 0, 5, local),
		{},
	} {
		i := InstantOf(tm)
		if !i.Time().Equal(tm) || i.IsZero() != tm.IsZero() || (!tm.IsZero() && i.Time().Location() != time.UTC) {
			t.Errorf("InstantOf(%v).Time() = %v", tm, i.Time())
		}
		want, _ := json.Marshal(tm.UTC())
		got, err := json.Marshal(i)
		if err != nil || string(got) != string(want) {
			t.Errorf("JSON of %v = %s, %v; want %s", tm, got, err, want)
		}
		var back Instant
		if err := json.Unmarshal(got, &back); err != nil || back != i {
			t.Errorf("JSON %s read back as %v, %v; want %v", got, back, err, i)
		}
	}
}

// A summary's JSON keeps its times' form.
func TestSummaryJSONTimes(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	b, err := json.Marshal(Summary{ID: "x", FirstSeen: InstantOf(at)})
	want := `{"id":"x","type":"","name":"","account":"","region":"","source":"","first_seen":"2026-03-01T00:00:00Z","last_seen":"0001-01-01T00:00:00Z","hash":0}`
	if err != nil || string(b) != want {
		t.Errorf("summary JSON\n got %s, %v\nwant %s", b, err, want)
	}
}
