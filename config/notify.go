package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// Notify is who vigil tells about what: SMTP digests and webhooks.
type Notify struct {
	SMTP     NotifySMTP `yaml:"smtp"`
	Digests  []Digest   `yaml:"digests"`
	Webhooks []Webhook  `yaml:"webhooks"`
}

// SMTP transport security settings (notify.smtp.tls).
const (
	TLSNone     = "none"
	TLSStartTLS = "starttls"
	TLSImplicit = "tls"
)

// NotifySMTP is the mail server digests go through. The password is never
// in the file: PasswordEnv names the environment variable holding it.
type NotifySMTP struct {
	Host        string `yaml:"host"`
	Port        int    `yaml:"port"` // default 587 (starttls), 465 (tls), 25 (none)
	From        string `yaml:"from"`
	TLS         string `yaml:"tls"` // none | starttls (default) | tls
	Username    string `yaml:"username"`
	PasswordEnv string `yaml:"password_env"`
}

// Digest is one scheduled e-mail digest of a group.
type Digest struct {
	Group    string   `yaml:"group"`
	To       []string `yaml:"to"`
	ToOwners bool     `yaml:"to_owners"` // each asset's Owner tag address gets its own assets
	// OwnerDomains, when set, limits to_owners to addresses in these
	// domains: whoever can tag a resource chooses its Owner address.
	OwnerDomains []string      `yaml:"owner_domains"`
	Every        time.Duration `yaml:"every"` // default 168h
	MinSeverity  string        `yaml:"min_severity"`
}

// Webhook events (notify.webhooks[].events).
const (
	EventViolationOpened = "violation.opened"
	EventViolationClosed = "violation.closed"
	EventFixApplied      = "fix.applied"
	EventScanFailed      = "scan.failed"
)

// WebhookEvents lists the events a webhook may subscribe to.
func WebhookEvents() []string {
	return []string{EventViolationOpened, EventViolationClosed, EventFixApplied, EventScanFailed}
}

// Webhook posts events to a URL, as Slack-compatible or vigil JSON payloads,
// signed with HMAC-SHA256 when SecretEnv names a set variable.
type Webhook struct {
	URL         string   `yaml:"url"`
	Events      []string `yaml:"events"` // empty: all
	MinSeverity string   `yaml:"min_severity"`
	Format      string   `yaml:"format"` // json (default) | slack
	SecretEnv   string   `yaml:"secret_env"`
}

// SMTPPort is the configured port or the usual one for the TLS mode.
func (s NotifySMTP) SMTPPort() int {
	switch {
	case s.Port != 0:
		return s.Port
	case s.TLSMode() == TLSImplicit:
		return 465
	case s.TLSMode() == TLSNone:
		return 25
	}
	return 587
}

// TLSMode is the configured mode, starttls when unset.
func (s NotifySMTP) TLSMode() string {
	if s.TLS == "" {
		return TLSStartTLS
	}
	return s.TLS
}

// Period is how often the digest is sent (168h when unset).
func (d Digest) Period() time.Duration {
	if d.Every <= 0 {
		return 168 * time.Hour
	}
	return d.Every
}

// Validate checks the notify settings and names the key of the first bad
// value, so the user knows what to fix.
func (n Notify) Validate() error {
	s := n.SMTP
	if !oneOf(s.TLSMode(), TLSNone, TLSStartTLS, TLSImplicit) {
		return fmt.Errorf("notify.smtp.tls: unknown value %q; use none, starttls or tls", s.TLS)
	}
	if s.From != "" {
		if _, err := mail.ParseAddress(s.From); err != nil {
			return fmt.Errorf("notify.smtp.from: %q is not an e-mail address: %w", s.From, err)
		}
	}
	if s.Port < 0 || s.Port > 65535 {
		return fmt.Errorf("notify.smtp.port: %d is not a TCP port", s.Port)
	}
	if s.Username != "" && s.PasswordEnv == "" {
		return fmt.Errorf("notify.smtp.password_env: username %q is set but no password_env names the variable holding the password", s.Username)
	}
	if len(n.Digests) > 0 && (s.Host == "" || s.From == "") {
		return fmt.Errorf("notify.smtp: digests are configured but host or from is empty; set both")
	}
	for i, d := range n.Digests {
		k := fmt.Sprintf("notify.digests[%d]", i)
		if d.Group == "" {
			return fmt.Errorf("%s.group: missing; name the asset group the digest reports on", k)
		}
		if len(d.To) == 0 && !d.ToOwners {
			return fmt.Errorf("%s: no recipient; set to: [addresses] or to_owners: true", k)
		}
		for _, a := range d.To {
			if _, err := mail.ParseAddress(a); err != nil {
				return fmt.Errorf("%s.to: %q is not an e-mail address: %w", k, a, err)
			}
		}
		if len(d.OwnerDomains) > 0 && !d.ToOwners {
			return fmt.Errorf("%s.owner_domains: set only with to_owners: true", k)
		}
		if d.Every < 0 {
			return fmt.Errorf("%s.every: %s is negative", k, d.Every)
		}
		if err := checkSeverity(k+".min_severity", d.MinSeverity); err != nil {
			return err
		}
	}
	for i, w := range n.Webhooks {
		k := fmt.Sprintf("notify.webhooks[%d]", i)
		u, err := url.Parse(w.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%s.url: %q is not an http(s) URL", k, w.URL)
		}
		for _, ev := range w.Events {
			if !oneOf(ev, WebhookEvents()...) {
				return fmt.Errorf("%s.events: unknown event %q; use %s", k, ev, strings.Join(WebhookEvents(), ", "))
			}
		}
		if !oneOf(w.Format, "", "json", "slack") {
			return fmt.Errorf("%s.format: unknown format %q; use json or slack", k, w.Format)
		}
		if err := checkSeverity(k+".min_severity", w.MinSeverity); err != nil {
			return err
		}
	}
	return nil
}

func checkSeverity(key, s string) error {
	if s == "" {
		return nil
	}
	// config sits below rules (layering), so the closed set is named here.
	if !oneOf(s, "critical", "high", "medium", "low") {
		return fmt.Errorf("%s: unknown severity %q; use critical, high, medium or low", key, s)
	}
	return nil
}

func oneOf(s string, set ...string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}
