package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
)

// Deliverer sends what the outbox holds: due e-mails through the Mailer,
// due webhook events over HTTP. A temporary failure is retried later with
// exponential backoff (the next attempt time is stored); a permanent one,
// or too many attempts, marks the message failed. Nothing is dropped.
type Deliverer struct {
	Store  *db.Store
	Mailer func() (*Mailer, error) // built when an e-mail is due (the password is read then)
	From   string
	HTTP   *http.Client
	Getenv func(string) string
	Now    func() time.Time
	Log    *log.Logger
	// Backoff is the wait before attempt n+1 after n failed ones; nil:
	// 1m, 2m, 4m … capped at 1h.
	Backoff     func(n int) time.Duration
	MaxAttempts int // 0: 12
}

// Outcome counts one delivery pass.
type Outcome struct {
	Sent, Retrying, Failed int
	Deferred               int      // not tried: their target had just failed in this pass
	Errors                 []string // one line per failed or retried message
}

// targetOf is what a message is delivered to: the mail server (all e-mail
// shares it) or the webhook URL.
func targetOf(m *db.OutboxMessage) string {
	if m.Kind == db.OutboxWebhook {
		return "webhook " + m.URL
	}
	return m.Kind
}

func (d *Deliverer) backoff(n int) time.Duration {
	if d.Backoff != nil {
		return d.Backoff(n)
	}
	w := time.Minute << min(n-1, 6)
	return min(w, time.Hour)
}

func (d *Deliverer) maxAttempts() int {
	if d.MaxAttempts > 0 {
		return d.MaxAttempts
	}
	return 12
}

// Deliver sends every due message of kind ("" both kinds), oldest first,
// and records each outcome before the next send.
func (d *Deliverer) Deliver(ctx context.Context, kind string) (Outcome, error) {
	var out Outcome
	due, err := d.Store.DueOutbox(kind, d.Now())
	if err != nil {
		return out, err
	}
	var mailer *Mailer
	var mailerErr error
	// A target that just failed for a passing reason is not tried again in
	// this pass: its other messages wait for the next one, untouched, so one
	// dead endpoint neither holds up the rest nor burns their attempts.
	down := map[string]bool{}
	for i := range due {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		m := &due[i]
		target := targetOf(m)
		if down[target] {
			out.Deferred++
			continue
		}
		var sendErr error
		switch m.Kind {
		case db.OutboxEmail:
			if mailer == nil && mailerErr == nil {
				mailer, mailerErr = d.Mailer()
				if mailerErr != nil {
					mailerErr = temporary(mailerErr) // a config fix or an exported password makes it work
				}
			}
			if sendErr = mailerErr; sendErr == nil {
				sendErr = mailer.Send(ctx, d.From, m.To, m.Body)
			}
		case db.OutboxWebhook:
			sendErr = d.post(ctx, m)
		default:
			sendErr = permanent(fmt.Errorf("unknown outbox kind %q", m.Kind))
		}
		d.record(m, sendErr, &out)
		var se *SendError
		if errors.As(sendErr, &se) && se.Temporary {
			down[target] = true
		}
		if err := d.Store.UpdateOutbox(m); err != nil {
			return out, fmt.Errorf("record delivery of %s: %w", m.ID, err)
		}
	}
	return out, nil
}

// record applies one attempt's outcome to m.
func (d *Deliverer) record(m *db.OutboxMessage, err error, out *Outcome) {
	now := d.Now()
	m.Attempts++
	if err == nil {
		m.Status, m.SentAt, m.LastError = db.OutboxSent, now, ""
		out.Sent++
		return
	}
	m.LastError = asset.Clean(err.Error())
	var se *SendError
	retry := errors.As(err, &se) && se.Temporary
	if retry && m.Attempts < d.maxAttempts() {
		m.NextAt = now.Add(d.backoff(m.Attempts))
		out.Retrying++
		out.Errors = append(out.Errors, fmt.Sprintf("%s %s: %s (retry at %s)", m.Kind, m.ID, m.LastError, m.NextAt.Format(time.RFC3339)))
	} else {
		m.Status = db.OutboxFailed
		if retry {
			m.LastError += fmt.Sprintf(" (gave up after %d attempts)", m.Attempts)
		}
		out.Failed++
		out.Errors = append(out.Errors, fmt.Sprintf("%s %s: %s (failed)", m.Kind, m.ID, m.LastError))
	}
	if d.Log != nil {
		d.Log.Printf("notify: %s %s attempt %d: %s", m.Kind, m.ID, m.Attempts, m.LastError)
	}
}

// post delivers one webhook: 2xx is sent; 408, 429 and 5xx are retried;
// any other status is a permanent refusal.
func (d *Deliverer) post(ctx context.Context, m *db.OutboxMessage) error {
	where := redactURL(m.URL)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.URL, bytes.NewReader(m.Body))
	if err != nil {
		return permanent(fmt.Errorf("webhook %s: bad URL", where))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "vigil-webhook")
	req.Header.Set("X-Vigil-Event", m.Subject)
	req.Header.Set("X-Vigil-Delivery", m.ID) // the same on every retry: receivers can de-duplicate
	if m.SecretEnv != "" {
		secret := d.Getenv(m.SecretEnv)
		if secret == "" {
			return temporary(fmt.Errorf("webhook %s: secret_env %s is empty; export the secret (vigil does not send it unsigned)", where, m.SecretEnv))
		}
		req.Header.Set(SignatureHeader, Sign([]byte(secret), m.Body))
	}
	client := d.HTTP
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its text repeats the whole URL
		}
		return temporary(fmt.Errorf("webhook %s: %w", where, err))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return nil
	case c == http.StatusRequestTimeout || c == http.StatusTooManyRequests || c >= 500:
		return temporary(fmt.Errorf("webhook %s: %s", where, resp.Status))
	default:
		return permanent(fmt.Errorf("webhook %s: %s", where, resp.Status))
	}
}

// redactURL keeps a URL's scheme and host: the path of a Slack or Teams
// webhook URL is itself the credential, so it is never logged or listed.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "(unparsable URL)"
	}
	return u.Scheme + "://" + u.Host + "/…"
}
