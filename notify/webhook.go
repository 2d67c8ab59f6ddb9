package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

// SignatureHeader carries the HMAC-SHA256 of the body, "sha256=<hex>".
const SignatureHeader = "X-Vigil-Signature"

// Sign is the signature header value of body under secret.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Payload is vigil's JSON webhook body.
type Payload struct {
	Event     string            `json:"event"`
	At        time.Time         `json:"at"`
	Violation *PayloadViolation `json:"violation,omitempty"`
	Fix       *PayloadFix       `json:"fix,omitempty"`
	Scan      *PayloadScan      `json:"scan,omitempty"`
	Error     string            `json:"error,omitempty"`
}

// PayloadViolation is the violation of a violation.* event, in the report
// JSON's field names.
type PayloadViolation struct {
	ID        string     `json:"id"`
	PolicyID  string     `json:"policy_id"`
	AssetID   string     `json:"asset_id"`
	AssetType string     `json:"asset_type"`
	AssetName string     `json:"asset_name,omitempty"`
	Account   string     `json:"account"`
	Region    string     `json:"region"`
	Severity  string     `json:"severity"`
	Category  string     `json:"category"`
	Status    string     `json:"status"`
	Message   string     `json:"message"`
	Reason    string     `json:"reason,omitempty"`
	OpenedAt  time.Time  `json:"opened_at"`
	ClosedAt  *time.Time `json:"closed_at"`
}

// PayloadFix is the fix of a fix.applied event.
type PayloadFix struct {
	ID          string `json:"id"`
	Action      string `json:"action"`
	ViolationID string `json:"violation_id,omitempty"`
	PolicyID    string `json:"policy_id,omitempty"`
	AssetID     string `json:"asset_id"`
	By          string `json:"by"`
}

// PayloadScan names the scan an event came from.
type PayloadScan struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Source string `json:"source,omitempty"`
}

// severityOf is the event's severity for min_severity: the violation's or
// the fixed policy's; scan failures always pass.
func severityOf(ev cycle.Event) string {
	if ev.Violation != nil {
		return ev.Violation.Severity
	}
	return ""
}

// wants reports whether a webhook subscribes to an event.
func wants(w config.Webhook, ev cycle.Event) bool {
	if len(w.Events) > 0 && !contains(w.Events, ev.Kind) {
		return false
	}
	if sev := severityOf(ev); w.MinSeverity != "" && sev != "" {
		return rules.Severity(sev).AtLeast(rules.Severity(w.MinSeverity))
	}
	return true
}

// payloadOf is the JSON payload of an event.
func payloadOf(ev cycle.Event) Payload {
	p := Payload{Event: ev.Kind, At: ev.At.UTC(), Error: ev.Error}
	if v := ev.Violation; v != nil {
		p.Violation = &PayloadViolation{ID: v.ID, PolicyID: v.PolicyID, AssetID: v.AssetID, AssetType: v.AssetType,
			AssetName: v.AssetName, Account: v.Account, Region: v.Region, Severity: v.Severity, Category: v.Category,
			Status: v.Status, Message: v.Message, Reason: v.Reason, OpenedAt: v.OpenedAt, ClosedAt: v.ClosedAt}
	}
	if f := ev.Fix; f != nil {
		p.Fix = &PayloadFix{ID: f.ID, Action: f.Action, ViolationID: f.ViolationID, PolicyID: f.PolicyID, AssetID: f.AssetID, By: f.By}
	}
	if sc := ev.Scan; sc != nil {
		p.Scan = &PayloadScan{ID: sc.ID, Status: sc.Status, Source: sc.Source}
	}
	return p
}

// slackText is the one-line summary of an event, with the untrusted parts
// cleaned and stripped of Slack's control characters (<, >, &).
func slackText(p Payload) string {
	switch {
	case p.Violation != nil:
		v := p.Violation
		verb := "opened"
		if p.Event == config.EventViolationClosed {
			verb = "closed"
		}
		return fmt.Sprintf("[%s] %s %s on %s: %s", v.Severity, v.PolicyID, verb, slackSafe(label(v.AssetName, v.AssetID)), slackSafe(v.Message))
	case p.Fix != nil:
		return fmt.Sprintf("fix %s applied to %s by %s", p.Fix.Action, slackSafe(p.Fix.AssetID), slackSafe(p.Fix.By))
	case p.Event == config.EventScanFailed:
		id := ""
		if p.Scan != nil {
			id = p.Scan.ID + " "
		}
		return fmt.Sprintf("scan %sfailed: %s", id, slackSafe(p.Error))
	}
	return p.Event
}

func label(name, id string) string {
	if name != "" && name != id {
		return name + " (" + id + ")"
	}
	return id
}

// slackSafe cleans a string for Slack mrkdwn: no control characters, and
// &, <, > escaped as Slack asks.
func slackSafe(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(asset.Clean(s))
}

// slackBody is a Slack incoming-webhook payload: text for notifications,
// blocks for the message.
func slackBody(p Payload) map[string]any {
	text := slackText(p)
	fields := []map[string]any{}
	if v := p.Violation; v != nil {
		for _, f := range [][2]string{{"Severity", v.Severity}, {"Policy", v.PolicyID}, {"Account", v.Account}, {"Region", v.Region}} {
			fields = append(fields, map[string]any{"type": "mrkdwn", "text": "*" + f[0] + "*\n" + slackSafe(f[1])})
		}
	}
	blocks := []map[string]any{{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": text}}}
	if len(fields) > 0 {
		blocks = append(blocks, map[string]any{"type": "section", "fields": fields})
	}
	return map[string]any{"text": text, "blocks": blocks}
}

// webhookMessages are the outbox messages of events for the configured
// webhooks: one per (webhook, event) the webhook subscribes to.
func webhookMessages(hooks []config.Webhook, evs []cycle.Event, now time.Time) ([]db.OutboxMessage, error) {
	var out []db.OutboxMessage
	for _, w := range hooks {
		for _, ev := range evs {
			if !wants(w, ev) {
				continue
			}
			p := payloadOf(ev)
			var body any = p
			if w.Format == "slack" {
				body = slackBody(p)
			}
			raw, err := json.Marshal(body)
			if err != nil {
				return nil, fmt.Errorf("encode %s payload: %w", ev.Kind, err)
			}
			at := now.Add(time.Duration(len(out))) // keeps the events' order in the outbox
			id, _ := NewMessageID(at, "")
			out = append(out, db.OutboxMessage{ID: id, Kind: db.OutboxWebhook, Rule: redactURL(w.URL), URL: w.URL,
				SecretEnv: w.SecretEnv, Subject: ev.Kind, Body: raw, Status: db.OutboxPending, CreatedAt: at, NextAt: now})
		}
	}
	return out, nil
}
