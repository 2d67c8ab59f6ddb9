package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

// hookServer records what it is posted and answers from a script.
type hookServer struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []hookReq
	answers []int // status per request; 200 when the script runs out
}

type hookReq struct {
	body   []byte
	header http.Header
}

func startHookServer(t *testing.T, answers ...int) *hookServer {
	t.Helper()
	h := &hookServer{answers: answers}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.reqs = append(h.reqs, hookReq{body: b, header: r.Header.Clone()})
		code := http.StatusOK
		if len(h.answers) > 0 {
			code, h.answers = h.answers[0], h.answers[1:]
		}
		h.mu.Unlock()
		w.WriteHeader(code)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) requests() []hookReq {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookReq(nil), h.reqs...)
}

func hookService(t *testing.T, w *world, hooks ...config.Webhook) *Service {
	t.Helper()
	cfg := config.Notify{Webhooks: hooks}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string {
		if k == "HOOK_SECRET" {
			return "whsec-test"
		}
		return ""
	}
	svc := New(w.c, cfg, env, w.clock, nil)
	svc.Attach(w.c)
	return svc
}

func event(kind, severity, name string) cycle.Event {
	v := &rules.Violation{ID: "v-" + severity, PolicyID: "ec2-sg-open-ssh", AssetID: "arn:aws:ec2:us-east-1:1:security-group/sg-1",
		AssetName: name, Severity: severity, Status: rules.StatusOpen, Message: "security group " + name + " allows SSH"}
	return cycle.Event{Kind: kind, At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Violation: v,
		Scan: &asset.Scan{ID: "scan-1", Status: asset.ScanComplete}}
}

func TestWebhookSignedAndRetriedAfter500(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	hs := startHookServer(t, http.StatusInternalServerError)
	svc := hookService(t, w, config.Webhook{URL: hs.URL + "/hook/T0KEN", SecretEnv: "HOOK_SECRET"})
	svc.Queue([]cycle.Event{event(config.EventViolationOpened, "high", "web")})
	out, err := svc.Flush(context.Background())
	if err != nil || out.Retrying != 1 {
		t.Fatalf("first delivery: %+v %v; want one retrying after the 500", out, err)
	}
	if strings.Contains(strings.Join(out.Errors, " "), "T0KEN") {
		t.Errorf("the webhook URL's secret path is reported: %v", out.Errors)
	}
	msgs, _ := w.c.Store.Outbox(db.OutboxWebhook, 0)
	w.now = msgs[0].NextAt
	if out, err := svc.Flush(context.Background()); err != nil || out.Sent != 1 {
		t.Fatalf("retry: %+v %v", out, err)
	}
	reqs := hs.requests()
	if len(reqs) != 2 {
		t.Fatalf("server saw %d requests, want 2 (500, then 200)", len(reqs))
	}
	for _, r := range reqs {
		mac := hmac.New(sha256.New, []byte("whsec-test"))
		mac.Write(r.body)
		if want := "sha256=" + hex.EncodeToString(mac.Sum(nil)); r.header.Get("X-Vigil-Signature") != want {
			t.Errorf("signature %q, want %q", r.header.Get("X-Vigil-Signature"), want)
		}
	}
	if reqs[0].header.Get("X-Vigil-Delivery") != reqs[1].header.Get("X-Vigil-Delivery") || !bytesEqual(reqs[0].body, reqs[1].body) {
		t.Error("the retry is not the same delivery")
	}
	var p struct {
		Event     string `json:"event"`
		Violation struct {
			ID, PolicyID, AssetID, Severity string
		} `json:"violation"`
		Scan struct{ ID string } `json:"scan"`
	}
	if err := json.Unmarshal(reqs[1].body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Event != "violation.opened" || p.Violation.Severity != "high" || p.Scan.ID != "scan-1" {
		t.Errorf("payload %s", reqs[1].body)
	}
}

func TestWebhookMinSeverityAndEventsFilter(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	hs := startHookServer(t)
	svc := hookService(t, w, config.Webhook{URL: hs.URL, Events: []string{config.EventViolationOpened}, MinSeverity: "high"})
	svc.Queue([]cycle.Event{
		event(config.EventViolationOpened, "low", "a"),
		event(config.EventViolationOpened, "critical", "b"),
		event(config.EventViolationClosed, "critical", "c"),
		{Kind: config.EventScanFailed, Error: "no unit completed"},
	})
	if out, err := svc.Flush(context.Background()); err != nil || out.Sent != 1 {
		t.Fatalf("flush: %+v %v; want only the critical opening", out, err)
	}
	if reqs := hs.requests(); len(reqs) != 1 || !strings.Contains(string(reqs[0].body), `"severity":"critical"`) {
		t.Errorf("requests: %d", len(reqs))
	}
}

func TestWebhookSlackFormat(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	hs := startHookServer(t)
	svc := hookService(t, w, config.Webhook{URL: hs.URL, Format: "slack"})
	svc.Queue([]cycle.Event{event(config.EventViolationOpened, "high", evilName)})
	if out, err := svc.Flush(context.Background()); err != nil || out.Sent != 1 {
		t.Fatalf("flush: %+v %v", out, err)
	}
	var p struct {
		Text   string `json:"text"`
		Blocks []struct {
			Type string `json:"type"`
			Text struct{ Type, Text string }
		} `json:"blocks"`
	}
	body := hs.requests()[0].body
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Text, "[high] ec2-sg-open-ssh opened") || len(p.Blocks) == 0 || p.Blocks[0].Type != "section" || p.Blocks[0].Text.Type != "mrkdwn" {
		t.Errorf("slack payload %s", body)
	}
	if strings.ContainsRune(p.Text, 0x1b) || strings.Contains(p.Text, "<script>") || !strings.Contains(p.Text, "&lt;script&gt;") {
		t.Errorf("slack text not cleaned and escaped: %q", p.Text)
	}
}

// A webhook that hangs does not hold up a scan: events are queued, the
// background loop delivers them, and the next scan runs meanwhile.
func TestSlowWebhookDoesNotBlockScan(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	release := make(chan struct{})
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	got := make(chan struct{}, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		got <- struct{}{}
		<-release
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(unblock)
	svc := hookService(t, w, config.Webhook{URL: srv.URL, Events: []string{config.EventViolationOpened}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	loopDone := make(chan struct{})
	go func() { svc.Run(ctx, time.Hour); close(loopDone) }()
	defer func() { cancel(); unblock(); <-loopDone }()

	w.scan(t, sg("sg-1", "web", true, "a@example.com"))
	<-got // the loop is now stuck in the slow hook
	res := w.scan(t, sg("sg-1", "web", true, "a@example.com"), sg("sg-2", "db", true, "a@example.com"))
	if res.Scan.Status != asset.ScanComplete || res.Opened == 0 {
		t.Fatalf("second scan: %s, %d opened", res.Scan.Status, res.Opened)
	}
	pending, _ := w.c.Store.DueOutbox(db.OutboxWebhook, w.now)
	if len(pending) == 0 {
		t.Fatal("the second scan's events are not queued")
	}
	unblock()
	deadline := time.After(30 * time.Second)
	for {
		due, _ := w.c.Store.DueOutbox(db.OutboxWebhook, w.now)
		if len(due) == 0 {
			break
		}
		select {
		case <-deadline:
			t.Fatalf("%d webhook messages still pending after the hook recovered", len(due))
		case <-time.After(20 * time.Millisecond):
		}
		select { // wake the loop (a queued event kicks it; the test's clock does not tick)
		case svc.kick <- struct{}{}:
		default:
		}
	}
}

func bytesEqual(a, b []byte) bool { return string(a) == string(b) }

func TestFixAppliedAndScanFailedPayloads(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	hs := startHookServer(t)
	svc := hookService(t, w, config.Webhook{URL: hs.URL, Events: []string{config.EventFixApplied, config.EventScanFailed}, MinSeverity: "critical"})
	svc.Queue([]cycle.Event{
		{Kind: config.EventFixApplied, Fix: &fix.Record{ID: "fx-1", Action: "ec2-revoke-public-ingress", AssetID: "arn:x", By: "alice"}},
		{Kind: config.EventScanFailed, Scan: &asset.Scan{ID: "scan-9", Status: asset.ScanFailed}, Error: "no unit completed"},
	})
	if out, err := svc.Flush(context.Background()); err != nil || out.Sent != 2 {
		t.Fatalf("flush: %+v %v; want both (min_severity does not filter fixes and scan failures)", out, err)
	}
	reqs := hs.requests()
	var fixP, scanP Payload
	mustUnmarshal(t, reqs[0].body, &fixP)
	mustUnmarshal(t, reqs[1].body, &scanP)
	if fixP.Event != "fix.applied" || fixP.Fix == nil || fixP.Fix.By != "alice" || reqs[0].header.Get("X-Vigil-Event") != "fix.applied" {
		t.Errorf("fix payload %s", reqs[0].body)
	}
	if scanP.Event != "scan.failed" || scanP.Scan == nil || scanP.Scan.ID != "scan-9" || scanP.Error != "no unit completed" {
		t.Errorf("scan payload %s", reqs[1].body)
	}
}

func mustUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
}

// A dead endpoint is tried once per pass: its other events wait untouched,
// and another webhook's events still go out.
func TestDeadWebhookDoesNotHoldUpOthers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	dead := startHookServer(t, 503, 503, 503)
	live := startHookServer(t)
	svc := hookService(t, w, config.Webhook{URL: dead.URL}, config.Webhook{URL: live.URL})
	svc.Queue([]cycle.Event{event(config.EventViolationOpened, "high", "a"), event(config.EventViolationOpened, "critical", "b")})
	out, err := svc.Flush(context.Background())
	if err != nil || out.Sent != 2 || out.Retrying != 1 || out.Deferred != 1 {
		t.Fatalf("pass: %+v %v; want 2 sent to the live hook, 1 retrying and 1 deferred for the dead one", out, err)
	}
	if n := len(dead.requests()); n != 1 {
		t.Errorf("the dead endpoint got %d requests in one pass, want 1", n)
	}
	msgs, _ := w.c.Store.Outbox(db.OutboxWebhook, 0)
	for _, m := range msgs {
		if m.URL == dead.URL && m.Status == db.OutboxPending && m.Attempts == 0 && m.LastError != "" {
			t.Errorf("a deferred message carries an error it never had: %+v", m.LastError)
		}
	}
}
