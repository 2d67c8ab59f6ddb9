package notify

import (
	"context"
	"crypto/tls"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

// mailWorld is a seeded store, a test SMTP server with STARTTLS and AUTH,
// and the notify service configured for them.
func mailWorld(t *testing.T, digests ...config.Digest) (*world, *mailServer, *Service) {
	t.Helper()
	w := newWorld(t)
	ms := startMailServer(t, true, false, "vigil", "s3cret")
	cfg := config.Notify{
		SMTP: config.NotifySMTP{Host: ms.host, Port: ms.port, From: "vigil@example.com", TLS: config.TLSStartTLS,
			Username: "vigil", PasswordEnv: "VIGIL_SMTP_PASSWORD"},
		Digests: digests,
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string {
		if k == "VIGIL_SMTP_PASSWORD" {
			return "s3cret"
		}
		return ""
	}
	svc := New(w.c, cfg, env, w.clock, nil)
	svc.Delivery.Mailer = func() (*Mailer, error) {
		m, err := NewMailer(cfg.SMTP, env)
		if err == nil {
			m.TLSConfig = &tls.Config{RootCAs: ms.pool}
		}
		return m, err
	}
	return w, ms, svc
}

// parsed is a received digest read back with net/mail and mime/multipart.
type parsed struct {
	subject, text, html string
	header              mail.Header
}

func parseDigest(t *testing.T, raw []byte) parsed {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q (%v), want multipart/alternative", msg.Header.Get("Content-Type"), err)
	}
	p := parsed{subject: subj, header: msg.Header}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var types []string
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(part) // NextPart decodes quoted-printable
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		types = append(types, ct)
		switch ct {
		case "text/plain":
			p.text = string(b)
		case "text/html":
			p.html = string(b)
		}
	}
	if strings.Join(types, ",") != "text/plain,text/html" {
		t.Fatalf("parts %v, want text/plain then text/html", types)
	}
	return p
}

func TestDigestArrivesParsedAndEscaped(t *testing.T) {
	t.Parallel()
	w, ms, svc := mailWorld(t, config.Digest{Group: "all", To: []string{"sec-team@example.com"}, Every: 168 * time.Hour})
	w.scan(t, sg("sg-1", evilName, true, "a@example.com"), sg("sg-2", "quiet", false, "b@example.com"))
	open := w.open(t)
	if len(open) == 0 {
		t.Fatal("the seeded store has no open violation")
	}
	crit := 0
	for _, v := range open {
		if v.Severity == "critical" {
			crit++
		}
	}
	n, out, err := svc.SendDue(context.Background())
	if err != nil || n != 1 || out.Sent != 1 {
		t.Fatalf("SendDue = %d queued, %+v, %v; want 1 queued and sent", n, out, err)
	}
	got := ms.received()
	if len(got) != 1 || !got[0].tls || got[0].user != "vigil" || got[0].to[0] != "sec-team@example.com" {
		t.Fatalf("server received %+v; want one message over TLS, authenticated, to sec-team", got)
	}
	p := parseDigest(t, got[0].data)
	if !strings.HasPrefix(p.subject, "all ") || !strings.Contains(p.subject, "% · ") || !strings.Contains(p.subject, itoa(crit)+" new critical") {
		t.Errorf("subject %q; want \"all N%% · %d new critical…\"", p.subject, crit)
	}
	if id := p.header.Get("Message-ID"); !strings.HasSuffix(id, "@example.com>") {
		t.Errorf("Message-ID %q", id)
	}
	if !strings.Contains(p.text, "New (first digest) ("+itoa(len(open))+")") {
		t.Errorf("text part does not count %d new violations:\n%s", len(open), p.text)
	}
	for _, part := range []string{p.text, p.html, p.subject} {
		if strings.ContainsRune(part, 0x1b) {
			t.Errorf("an escape character reached the reader: %q", part)
		}
	}
	if !strings.Contains(p.text, "sg-red<script>alert(1)</script>") {
		t.Errorf("text part lost the (cleaned) asset name:\n%s", p.text)
	}
	if strings.Contains(p.html, "<script>") || !strings.Contains(p.html, "sg-red&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("HTML part does not escape the asset name:\n%s", p.html)
	}
	for _, want := range []string{"By category", "security", "Worst policies", "ec2-sg-open-all-ports"} {
		if !strings.Contains(p.text, want) {
			t.Errorf("text part lacks %q", want)
		}
	}

	// A week on, nothing changed: the second digest announces nothing again.
	w.now = w.now.Add(169 * time.Hour)
	w.scan(t, sg("sg-1", evilName, true, "a@example.com"), sg("sg-2", "quiet", false, "b@example.com"))
	if n, out, err := svc.SendDue(context.Background()); err != nil || n != 1 || out.Sent != 1 {
		t.Fatalf("second SendDue = %d, %+v, %v", n, out, err)
	}
	p2 := parseDigest(t, ms.received()[1].data)
	if !strings.Contains(p2.subject, "(±0) · nothing new") || strings.Contains(p2.text, "New ") {
		t.Errorf("second digest re-announces: subject %q\n%s", p2.subject, p2.text)
	}
	if !strings.Contains(p2.text, "Still open, critical and high") {
		t.Errorf("second digest drops the still-open critical list:\n%s", p2.text)
	}

	// Not due again yet: nothing is queued.
	if n, _, _ := svc.SendDue(context.Background()); n != 0 {
		t.Errorf("a digest went out before its period: %d", n)
	}

	// The group is fixed: the next digest lists the closed ones, once.
	w.now = w.now.Add(169 * time.Hour)
	w.scan(t, sg("sg-1", "fixed", false, "a@example.com"), sg("sg-2", "quiet", false, "b@example.com"))
	if _, out, err := svc.SendDue(context.Background()); err != nil || out.Sent != 1 {
		t.Fatalf("third SendDue: %+v %v", out, err)
	}
	p3 := parseDigest(t, ms.received()[2].data)
	if !strings.Contains(p3.subject, itoa(len(open))+" closed") || !strings.Contains(p3.text, "Closed since then ("+itoa(len(open))+")") {
		t.Errorf("third digest: subject %q\n%s", p3.subject, p3.text)
	}
}

// Owner digests: each Owner tag address gets the violations of its own
// assets only; a tag that is not a bare address gets nothing.
func TestOwnerDigestsGoToEachOwner(t *testing.T) {
	t.Parallel()
	w, ms, svc := mailWorld(t, config.Digest{Group: "all", ToOwners: true, Every: 24 * time.Hour})
	w.scan(t, sg("sg-a", "alpha", true, "alice@example.com"), sg("sg-b", "beta", true, "bob@example.com"),
		sg("sg-c", "gamma", true, "Mallory <m@example.com>\r\nBcc: x@evil.example"))
	if _, out, err := svc.SendDue(context.Background()); err != nil || out.Sent != 2 {
		t.Fatalf("SendDue: %+v %v; want 2 sent (alice, bob)", out, err)
	}
	for _, r := range ms.received() {
		p := parseDigest(t, r.data)
		mine, other := "alpha", "beta"
		if r.to[0] == "bob@example.com" {
			mine, other = "beta", "alpha"
		}
		if !strings.Contains(p.text, mine) || strings.Contains(p.text, other) || strings.Contains(p.text, "gamma") {
			t.Errorf("digest to %s:\n%s", r.to[0], p.text)
		}
	}
	if n, _, _ := svc.SendDue(context.Background()); n != 0 {
		t.Errorf("owner digests went out again within their 24h: %d", n)
	}
	w.now = w.now.Add(25 * time.Hour)
	if n, _, _ := svc.SendDue(context.Background()); n != 2 {
		t.Errorf("a day later %d owner digests are due, want 2", n)
	}
}

func TestDigest4xxIsRetriedThenDeliveredOnce(t *testing.T) {
	t.Parallel()
	w, ms, svc := mailWorld(t, config.Digest{Group: "all", To: []string{"sec@example.com"}})
	w.scan(t, sg("sg-1", "web", true, "a@example.com"))
	ms.failNext(smtpError(451, "greylisted, try later"))
	_, out, err := svc.SendDue(context.Background())
	if err != nil || out.Retrying != 1 || out.Sent != 0 {
		t.Fatalf("first attempt: %+v %v; want one retrying", out, err)
	}
	msgs, _ := w.c.Store.Outbox(db.OutboxEmail, 0)
	if len(msgs) != 1 || msgs[0].Status != db.OutboxPending || !msgs[0].NextAt.After(w.now) || !strings.Contains(msgs[0].LastError, "451") {
		t.Fatalf("outbox after a 451: %d messages, first %s next %s: %q", len(msgs), msgs[0].Status, msgs[0].NextAt, msgs[0].LastError)
	}
	if out, _ := svc.Delivery.Deliver(context.Background(), ""); out.Sent+out.Retrying != 0 {
		t.Errorf("retried before its backoff: %+v", out)
	}
	w.now = msgs[0].NextAt
	if out, err := svc.Delivery.Deliver(context.Background(), ""); err != nil || out.Sent != 1 {
		t.Fatalf("retry: %+v %v", out, err)
	}
	if got := ms.received(); len(got) != 1 {
		t.Fatalf("server has %d messages, want exactly 1", len(got))
	}
	m, _ := w.c.Store.OutboxMessage(msgs[0].ID)
	if m.Status != db.OutboxSent || m.Attempts != 2 {
		t.Errorf("outbox: %s after %d attempts", m.Status, m.Attempts)
	}
}

func TestDigest5xxIsRecordedFailed(t *testing.T) {
	t.Parallel()
	w, ms, svc := mailWorld(t, config.Digest{Group: "all", To: []string{"sec@example.com"}})
	w.scan(t, sg("sg-1", "web", true, "a@example.com"))
	ms.failNext(smtpError(554, "rejected as spam"))
	if _, out, err := svc.SendDue(context.Background()); err != nil || out.Failed != 1 {
		t.Fatalf("SendDue: %+v %v; want one failed", out, err)
	}
	msgs, _ := w.c.Store.Outbox(db.OutboxEmail, 0)
	if len(msgs) != 1 || msgs[0].Status != db.OutboxFailed || !strings.Contains(msgs[0].LastError, "554") || !strings.Contains(msgs[0].LastError, "rejected as spam") {
		t.Fatalf("outbox: %d messages, first %s: %q", len(msgs), msgs[0].Status, msgs[0].LastError)
	}
	w.now = w.now.Add(time.Hour)
	if out, _ := svc.Delivery.Deliver(context.Background(), ""); out.Sent+out.Failed+out.Retrying != 0 {
		t.Errorf("a failed message was tried again: %+v", out)
	}
}

func itoa(n int) string { return fmtInt(n) }

// The HTML part draws the trend as inline SVG, one point per day.
func TestDigestHTMLHasTrendSparkline(t *testing.T) {
	t.Parallel()
	d := &Digest{Rule: Rule{Group: "prod"}, At: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Overall: 91, Trend: []int{80, 85, 91}}
	var b strings.Builder
	if err := d.HTML(&b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	i := strings.Index(html, `points="`)
	if !strings.Contains(html, "<svg") || i < 0 {
		t.Fatalf("no SVG polyline in:\n%s", html)
	}
	pts := strings.Fields(html[i+len(`points="`) : i+strings.Index(html[i:], `"/>`)])
	if len(pts) != 3 {
		t.Errorf("polyline has %d points, want 3: %v", len(pts), pts)
	}
	if strings.Contains(html, "http://") && !strings.Contains(html, `xmlns="http://www.w3.org/2000/svg"`) {
		t.Error("the HTML part fetches something remote")
	}
}

func TestSubjectShowsScoreChange(t *testing.T) {
	t.Parallel()
	delta := -2
	d := &Digest{Rule: Rule{Group: "prod"}, Overall: 91, Delta: &delta,
		New: []rules.Violation{{Severity: "critical"}, {Severity: "critical"}, {Severity: "critical"}, {Severity: "critical"}}}
	if got := d.Subject(); got != "prod 91% (−2) · 4 new critical" {
		t.Errorf("subject %q", got)
	}
}

// --since lists what opened in the window, whatever earlier digests said.
func TestDigestSinceWindowIgnoresAnnouncements(t *testing.T) {
	t.Parallel()
	w, _, svc := mailWorld(t, config.Digest{Group: "all", To: []string{"sec@example.com"}})
	w.scan(t, sg("sg-1", "old", true, "a@example.com"))
	if _, _, err := svc.SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.now = w.now.Add(48 * time.Hour)
	before := len(w.open(t))
	w.scan(t, sg("sg-1", "old", true, "a@example.com"), sg("sg-2", "fresh", true, "a@example.com"))
	fresh := len(w.open(t)) - before
	r := AdHoc("all", []string{"x@example.com"}, "")
	r.Since = 24 * time.Hour
	_, d, err := svc.Digests.Preview(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.New) != fresh || fresh == 0 {
		t.Fatalf("--since 24h lists %d new, want the %d opened by the last scan", len(d.New), fresh)
	}
	for _, v := range d.New {
		if !strings.Contains(v.AssetID, "sg-2") {
			t.Errorf("%s on %s opened two days ago, outside the window", v.PolicyID, v.AssetID)
		}
	}
}

// A crash after the server accepted a digest but before the outbox said so
// sends it again on the next run — the same message with the same
// Message-ID, so the receiving side can tell it is a duplicate.
func TestResendAfterCrashKeepsMessageID(t *testing.T) {
	t.Parallel()
	w, ms, svc := mailWorld(t, config.Digest{Group: "all", To: []string{"sec@example.com"}})
	w.scan(t, sg("sg-1", "web", true, "a@example.com"))
	m, _, err := svc.Digests.Queue(svc.Digests.mustRule(t))
	if err != nil {
		t.Fatal(err)
	}
	mailer, err := svc.Delivery.Mailer()
	if err != nil {
		t.Fatal(err)
	}
	// What Deliver does before it records the outcome; then the "crash".
	if err := mailer.Send(context.Background(), svc.Delivery.From, m.To, m.Body); err != nil {
		t.Fatal(err)
	}
	if out, err := svc.Delivery.Deliver(context.Background(), ""); err != nil || out.Sent != 1 {
		t.Fatalf("the next run: %+v %v; want the pending digest sent", out, err)
	}
	got := ms.received()
	if len(got) != 2 {
		t.Fatalf("server has %d messages, want the original and the resend", len(got))
	}
	id := func(raw []byte) string { return parseDigest(t, raw).header.Get("Message-ID") }
	if a, b := id(got[0].data), id(got[1].data); a == "" || a != b || a != m.MessageID {
		t.Errorf("Message-IDs %q and %q (outbox %q); want one stable ID", a, b, m.MessageID)
	}
}

func (g *Digester) mustRule(t *testing.T) Rule {
	t.Helper()
	rs, err := g.Rules("")
	if err != nil || len(rs) != 1 {
		t.Fatalf("rules: %v %v", rs, err)
	}
	return rs[0]
}

// owner_domains keeps an Owner tag from sending a digest outside the company.
func TestOwnerDomainsLimitRecipients(t *testing.T) {
	t.Parallel()
	w, ms, svc := mailWorld(t, config.Digest{Group: "all", ToOwners: true, OwnerDomains: []string{"example.com"}})
	w.scan(t, sg("sg-a", "alpha", true, "alice@example.com"), sg("sg-e", "stolen", true, "eve@evil.example"))
	if _, out, err := svc.SendDue(context.Background()); err != nil || out.Sent != 1 {
		t.Fatalf("SendDue: %+v %v; want 1 sent", out, err)
	}
	for _, r := range ms.received() {
		if r.to[0] != "alice@example.com" {
			t.Errorf("a digest went to %s", r.to[0])
		}
	}
}
