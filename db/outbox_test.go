package db_test

import (
	"testing"
	"time"

	"github.com/vigil-sec/vigil/db"
)

func TestOutboxPendingLifecycle(t *testing.T) {
	t.Parallel()
	s, dir := diskStore(t)
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	msgs := []db.OutboxMessage{
		{ID: "m1", Kind: db.OutboxWebhook, URL: "http://a", Status: db.OutboxPending, CreatedAt: t0, NextAt: t0},
		{ID: "m2", Kind: db.OutboxWebhook, URL: "http://b", Status: db.OutboxPending, CreatedAt: t0.Add(time.Second), NextAt: t0.Add(time.Hour)},
		{ID: "m3", Kind: db.OutboxEmail, To: []string{"x@y.z"}, Status: db.OutboxPending, CreatedAt: t0.Add(2 * time.Second), NextAt: t0},
	}
	if err := s.QueueOutbox(msgs); err != nil {
		t.Fatal(err)
	}
	due, err := s.DueOutbox(db.OutboxWebhook, t0.Add(time.Minute))
	if err != nil || len(due) != 1 || due[0].ID != "m1" {
		t.Fatalf("due webhooks = %+v, %v; want m1 only (m2 waits an hour, m3 is e-mail)", due, err)
	}
	due[0].Status, due[0].Attempts = db.OutboxSent, 1
	if err := s.UpdateOutbox(&due[0]); err != nil {
		t.Fatal(err)
	}
	// The state survives a reopen, and a sent message is no longer due.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := db.Open(dir, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	due, err = s2.DueOutbox("", t0.Add(2*time.Hour))
	if err != nil || len(due) != 2 || due[0].ID != "m2" || due[1].ID != "m3" {
		t.Fatalf("due after reopen = %+v, %v; want m2, m3", due, err)
	}
	all, err := s2.Outbox("", 0)
	if err != nil || len(all) != 3 || all[0].ID != "m3" || all[2].Status != db.OutboxSent {
		t.Fatalf("outbox listing = %+v, %v; want newest first with m1 sent", all, err)
	}
}

func TestQueueDigestRecordsAnnouncements(t *testing.T) {
	t.Parallel()
	s := memStore(t)
	if _, _, ok, err := s.DigestState("prod"); ok || err != nil {
		t.Fatalf("fresh store has a last digest (%v, %v)", ok, err)
	}
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	m := db.OutboxMessage{ID: "d1", Kind: db.OutboxEmail, Status: db.OutboxPending, CreatedAt: t0, NextAt: t0}
	err := s.QueueDigest(m, "prod", db.DigestLast{At: t0, Overall: 91, MessageID: "<d1@vigil>"},
		map[string]db.DigestSeen{"v1": {Opened: t0}, "v2": {Opened: t0, Closed: t0}})
	if err != nil {
		t.Fatal(err)
	}
	seen, last, ok, err := s.DigestState("prod")
	if err != nil || !ok || last.Overall != 91 || len(seen) != 2 || seen["v2"].Closed.IsZero() || !seen["v1"].Closed.IsZero() {
		t.Fatalf("state = %+v %+v %v %v", seen, last, ok, err)
	}
	if other, _, _, _ := s.DigestState("pro"); len(other) != 0 {
		t.Errorf("rule pro sees prod's announcements: %v", other)
	}
	if _, err := s.OutboxMessage("d1"); err != nil {
		t.Errorf("digest not in the outbox: %v", err)
	}
}
