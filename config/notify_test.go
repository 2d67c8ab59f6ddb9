package config

import (
	"strings"
	"testing"
	"time"
)

func TestNotifyConfigDecodes(t *testing.T) {
	t.Parallel()
	c, err := parse("c.yaml", []byte(`notify:
  smtp: {host: smtp.example.com, port: 587, from: vigil@example.com, tls: starttls, username: vigil, password_env: VIGIL_SMTP_PASSWORD}
  digests:
    - {group: prod, to: [sec-team@example.com], every: 168h, min_severity: medium}
    - {group: team-payments, to_owners: true, every: 24h}
  webhooks:
    - {url: "https://hooks.example.com/x", events: [violation.opened, scan.failed], min_severity: high, format: slack, secret_env: HOOK_SECRET}
`))
	if err != nil {
		t.Fatal(err)
	}
	n := c.Notify
	if n.SMTP.PasswordEnv != "VIGIL_SMTP_PASSWORD" || n.SMTP.TLSMode() != TLSStartTLS || n.SMTP.SMTPPort() != 587 {
		t.Errorf("smtp = %+v", n.SMTP)
	}
	if len(n.Digests) != 2 || !n.Digests[1].ToOwners || n.Digests[1].Period() != 24*time.Hour || n.Digests[0].MinSeverity != "medium" {
		t.Errorf("digests = %+v", n.Digests)
	}
	if len(n.Webhooks) != 1 || n.Webhooks[0].Format != "slack" || len(n.Webhooks[0].Events) != 2 {
		t.Errorf("webhooks = %+v", n.Webhooks)
	}
}

func TestNotifyConfigErrorsNameTheKey(t *testing.T) {
	t.Parallel()
	smtp := "  smtp: {host: h, from: a@b.c}\n"
	for _, tc := range []struct{ yaml, want string }{
		{"notify:\n  smtp: {host: h, from: a@b.c, tls: ssl}\n", `notify.smtp.tls: unknown value "ssl"`},
		{"notify:\n  webhooks: [{url: 'http://x', events: [violation.open]}]\n", `notify.webhooks[0].events: unknown event "violation.open"`},
		{"notify:\n  webhooks: [{url: 'http://x', format: teams}]\n", `notify.webhooks[0].format: unknown format "teams"`},
		{"notify:\n" + smtp + "  digests: [{group: g, to: [x@y.z], min_severity: severe}]\n", `notify.digests[0].min_severity: unknown severity "severe"`},
		{"notify:\n" + smtp + "  digests: [{group: g}]\n", `notify.digests[0]: no recipient`},
		{"notify:\n  smtp: {host: h, from: a@b.c, password: hunter2}\n", `unknown field "password" in notify.smtp`},
		{"notify:\n  digests: [{group: g, to: [x@y.z]}]\n", `notify.smtp: digests are configured but host or from is empty`},
	} {
		_, err := parse("c.yaml", []byte(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want it to contain %q", tc.yaml, err, tc.want)
		}
	}
}
