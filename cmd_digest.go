package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/notify"
	"github.com/vigil-sec/vigil/rules"
)

func newDigestCmd(e *env) *cobra.Command {
	var group, since, minSev string
	var to []string
	var dryRun, due bool
	cmd := &cobra.Command{
		Use:   "digest",
		Short: "Send a group's e-mail digest now (--dry-run prints it; --due sends the scheduled ones whose time has come)",
		Long: "Sends the digests notify.digests configures for --group (all groups when not given), or one to the\n" +
			"--to addresses. The message is written to the store's outbox first, then sent; a refused send\n" +
			"is retried later (see `vigil digests`). --since DUR lists what opened and closed in that window\n" +
			"instead of what is new since the last digest. --due is for cron: it sends only the digests whose\n" +
			"`every` has passed and retries the outbox.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var window time.Duration
			if since != "" {
				d, err := time.ParseDuration(since)
				if err != nil || d <= 0 {
					return &exitError{code: exitUsage, err: fmt.Errorf("--since %q: want a positive duration such as 24h or 168h", since)}
				}
				window = d
			}
			if minSev != "" {
				if _, err := rules.ParseSeverity(minSev); err != nil {
					return &exitError{code: exitUsage, err: fmt.Errorf("--min-severity: %w", err)}
				}
			}
			if due && (dryRun || len(to) > 0 || since != "") {
				return &exitError{code: exitUsage, err: errors.New("--due sends the configured digests as scheduled; it takes no --dry-run, --to or --since")}
			}
			c, done, err := e.openCycle(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer done()
			logger, closeLog := e.logger()
			defer closeLog()
			svc := notify.New(c, c.Config.Notify, os.Getenv, e.now, logger)
			if due {
				return digestDue(cmd.Context(), e, svc)
			}
			if !dryRun {
				// Refuse before anything is queued and counted as announced.
				if _, err := notify.NewMailer(c.Config.Notify.SMTP, os.Getenv); err != nil {
					return &exitError{code: exitUsage, err: fmt.Errorf("cannot send: %w (or use --dry-run)", err)}
				}
			}
			rs, err := digestRules(svc, group, to, minSev, window)
			if err != nil {
				return err
			}
			if dryRun {
				for _, r := range rs {
					msg, _, err := svc.Digests.Preview(r)
					if err != nil {
						return err
					}
					if _, err := e.stdout.Write(msg); err != nil {
						return err
					}
				}
				return nil
			}
			for _, r := range rs {
				m, _, err := svc.Digests.Queue(r)
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stderr, "queued %s: %s\n", m.ID, asset.Clean(m.Subject))
			}
			return deliverNow(cmd.Context(), e, svc)
		},
	}
	cmd.Flags().StringVar(&group, "group", "", "asset group (default: every configured digest; all with --to)")
	cmd.Flags().StringSliceVar(&to, "to", nil, "send to these addresses instead of the configured ones (repeatable)")
	cmd.Flags().StringVar(&since, "since", "", "list what opened/closed in this window (e.g. 24h) instead of since the last digest")
	cmd.Flags().StringVar(&minSev, "min-severity", "", "only violations at or above this severity (overrides the digest's min_severity)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the MIME message instead of sending (records nothing)")
	cmd.Flags().BoolVar(&due, "due", false, "send the configured digests whose `every` has passed, and retry the outbox")
	return cmd
}

// digestRules are the digests one `vigil digest` sends.
func digestRules(svc *notify.Service, group string, to []string, minSev string, window time.Duration) ([]notify.Rule, error) {
	var rs []notify.Rule
	if len(to) > 0 {
		if group == "" {
			group = groups.All
		}
		if _, err := notify.Recipients(to); err != nil {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("--to: %w", err)}
		}
		rs = []notify.Rule{notify.AdHoc(group, to, minSev)}
	} else {
		var err error
		if rs, err = svc.Digests.Rules(group); err != nil {
			return nil, err
		}
		if len(rs) == 0 {
			what := "no digest is configured"
			if group != "" {
				what = fmt.Sprintf("no digest is configured for group %q", group)
			}
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: pass --to ADDR, or add notify.digests to the config (docs/NOTIFY.md)", what)}
		}
	}
	for i := range rs {
		rs[i].Since = window
		if minSev != "" {
			rs[i].MinSeverity = minSev
		}
	}
	return rs, nil
}

// deliverNow sends what the outbox holds and reports each outcome.
func deliverNow(ctx context.Context, e *env, svc *notify.Service) error {
	out, err := svc.Delivery.Deliver(ctx, db.OutboxEmail)
	return reportDelivery(e, out, err)
}

// reportDelivery prints a delivery pass; a message refused for good is an
// error (exit 1).
func reportDelivery(e *env, out notify.Outcome, err error) error {
	for _, line := range out.Errors {
		fmt.Fprintln(e.stderr, line)
	}
	fmt.Fprintf(e.stdout, "%d sent, %d to retry, %d failed\n", out.Sent, out.Retrying, out.Failed)
	if err != nil {
		return err
	}
	if out.Retrying > 0 {
		fmt.Fprintln(e.stderr, "what was not sent stays in the outbox: `vigil digest --due` (cron) or `vigil serve` retries it; `vigil digests` lists it")
	}
	if out.Failed > 0 {
		return &exitError{code: exitFailed, err: fmt.Errorf("%d messages were refused (see `vigil digests --webhooks`)", out.Failed)}
	}
	return nil
}

// digestDue queues the digests whose time has come and delivers the outbox.
func digestDue(ctx context.Context, e *env, svc *notify.Service) error {
	n, out, err := svc.SendDue(ctx)
	fmt.Fprintf(e.stderr, "%d digests due\n", n)
	return reportDelivery(e, out, err)
}

// attachNotify makes a command's cycle queue webhook events and returns
// what to run before the store closes: a short delivery of what this
// command queued (the rest stays in the outbox for the next run).
func attachNotify(e *env, c *cycle.Cycle, lg *log.Logger) func() {
	if len(c.Config.Notify.Webhooks) == 0 || e.readOnly {
		return func() {}
	}
	svc := notify.New(c, c.Config.Notify, os.Getenv, e.now, lg)
	svc.Attach(c)
	return func() {
		if svc.Queued() == 0 {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := svc.Flush(ctx); err != nil {
			lg.Printf("notify: %v", err)
		}
	}
}

// startNotify runs the notification loop of a long-running process (the
// console, `vigil serve`): webhook events as they come, digests on their
// schedule, retries of the outbox. The returned stop ends the loop and
// waits for it, so it never writes to a closed store.
func startNotify(ctx context.Context, e *env, c *cycle.Cycle, lg *log.Logger) (stop func()) {
	n := c.Config.Notify
	if e.readOnly || (len(n.Webhooks) == 0 && len(n.Digests) == 0) {
		return func() {}
	}
	svc := notify.New(c, n, os.Getenv, e.now, lg)
	svc.Attach(c)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); svc.Run(ctx, time.Minute) }()
	return func() { cancel(); <-done }
}
