package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
)

// digestRow is one outbox message as `vigil digests --json` prints it
// (without the body).
type digestRow struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Status    string    `json:"status"`
	Attempts  int       `json:"attempts"`
	To        []string  `json:"to,omitempty"`
	Subject   string    `json:"subject"`
	Rule      string    `json:"rule"`
	CreatedAt time.Time `json:"created_at"`
	SentAt    time.Time `json:"sent_at,omitzero"`
	NextAt    time.Time `json:"next_at,omitzero"`
	Error     string    `json:"error,omitempty"`
}

func newDigestsCmd(e *env) *cobra.Command {
	var limit int
	var webhooks, asJSON bool
	cmd := &cobra.Command{
		Use:   "digests",
		Short: "List sent, pending and failed digests (the outbox), newest first, with the error of each refusal",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := e.openStoreRO()
			if err != nil {
				return err
			}
			defer st.Close()
			kind := db.OutboxEmail
			if webhooks {
				kind = ""
			}
			msgs, err := st.Outbox(kind, limit)
			if err != nil {
				return err
			}
			rows := make([]digestRow, len(msgs))
			for i, m := range msgs {
				rows[i] = digestRow{ID: m.ID, Kind: m.Kind, Status: m.Status, Attempts: m.Attempts, To: m.To, Subject: m.Subject,
					Rule: m.Rule, CreatedAt: m.CreatedAt, SentAt: m.SentAt, Error: m.LastError}
				if m.Status == db.OutboxPending {
					rows[i].NextAt = m.NextAt
				}
			}
			if asJSON {
				return printJSONList(e, rows)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CREATED\tKIND\tSTATUS\tTRIES\tTO\tSUBJECT\tDETAIL")
			for _, r := range rows {
				detail := r.Error
				switch {
				case r.Status == db.OutboxSent:
					detail = "sent " + r.SentAt.UTC().Format(time.RFC3339)
				case r.Status == db.OutboxPending:
					detail = "next try " + r.NextAt.UTC().Format(time.RFC3339) + " " + r.Error
				}
				to := strings.Join(r.To, ",")
				if r.Kind == db.OutboxWebhook {
					to = r.Rule // the URL's scheme and host only
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", r.CreatedAt.UTC().Format(time.RFC3339), r.Kind, r.Status, r.Attempts,
					asset.Clean(to), asset.Clean(r.Subject), asset.Clean(strings.TrimSpace(detail)))
			}
			tw.Flush()
			fmt.Fprintf(e.stderr, "%d messages\n", len(rows))
			return nil
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 50, "at most this many (0: all)")
	cmd.Flags().BoolVar(&webhooks, "webhooks", false, "include webhook deliveries")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
