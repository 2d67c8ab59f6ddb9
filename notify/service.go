package notify

import (
	"context"
	"io"
	"log"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
)

// Service is notification for one cycle: it queues the cycle's events for
// the webhooks, sends due digests on schedule and delivers the outbox in
// the background, so no scan waits on a mail or web server.
type Service struct {
	Digests  *Digester
	Delivery *Deliverer
	hooks    []config.Webhook
	log      *log.Logger
	kick     chan struct{}
	queued   atomic.Int64
}

// New builds the service of a cycle from notify settings; getenv reads
// the SMTP password and webhook secrets when they are needed.
func New(c *cycle.Cycle, cfg config.Notify, getenv func(string) string, now func() time.Time, lg *log.Logger) *Service {
	if lg == nil {
		lg = log.New(io.Discard, "", 0)
	}
	s := &Service{hooks: cfg.Webhooks, log: lg, kick: make(chan struct{}, 1)}
	s.Digests = &Digester{Cycle: c, Config: cfg, Now: now}
	s.Delivery = &Deliverer{Store: c.Store, From: FromAddress(cfg.SMTP), Getenv: getenv, Now: now, Log: lg,
		HTTP:   &http.Client{Timeout: 30 * time.Second},
		Mailer: func() (*Mailer, error) { return NewMailer(cfg.SMTP, getenv) }}
	return s
}

// Attach makes the service hear the cycle's events (only when webhooks
// are configured: otherwise nobody listens and nothing is queued).
func (s *Service) Attach(c *cycle.Cycle) {
	if len(s.hooks) > 0 {
		c.SetNotify(s.Queue)
	}
}

// Queue is the cycle's notify hook: it writes the events the webhooks
// subscribe to into the outbox and wakes the delivery loop. It does not
// wait for any delivery.
func (s *Service) Queue(evs []cycle.Event) {
	msgs, err := webhookMessages(s.hooks, evs, s.Delivery.Now().UTC())
	if err == nil && len(msgs) > 0 {
		err = s.Delivery.Store.QueueOutbox(msgs)
	}
	if err != nil {
		s.log.Printf("notify: queue %d events: %v", len(evs), err)
		return
	}
	if len(msgs) > 0 {
		s.queued.Add(int64(len(msgs)))
		select {
		case s.kick <- struct{}{}:
		default:
		}
	}
}

// Queued is how many webhook messages this process queued.
func (s *Service) Queued() int64 { return s.queued.Load() }

// Flush delivers the due webhook messages now, until ctx ends: a one-shot
// command calls it before exiting; what fails stays in the outbox.
func (s *Service) Flush(ctx context.Context) (Outcome, error) {
	return s.Delivery.Deliver(ctx, db.OutboxWebhook)
}

// SendDue queues the digests whose period has passed, then delivers.
func (s *Service) SendDue(ctx context.Context) (int, Outcome, error) {
	due, err := s.Digests.Due()
	if err != nil {
		return 0, Outcome{}, err
	}
	n := 0
	for _, r := range due {
		if _, _, err := s.Digests.Queue(r); err != nil {
			s.log.Printf("notify: digest %s: %v", r.Key, err)
			continue
		}
		n++
	}
	if err := s.Digests.MarkBatches(due); err != nil {
		s.log.Printf("notify: %v", err)
	}
	out, err := s.Delivery.Deliver(ctx, "")
	return n, out, err
}

// Run is the background loop of a long-running process (`vigil serve`):
// every tick (and whenever events are queued) it delivers the due
// webhooks, and every tick it sends due digests and retries due e-mail.
func (s *Service) Run(ctx context.Context, tick time.Duration) {
	if tick <= 0 {
		tick = time.Minute
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	// A pass at start: digests that fell due while nothing ran (the server
	// was down, the console closed) and deliveries left pending go out now.
	s.pass(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.kick:
			if _, err := s.Delivery.Deliver(ctx, db.OutboxWebhook); err != nil && ctx.Err() == nil {
				s.log.Printf("notify: deliver: %v", err)
			}
		case <-t.C:
			s.pass(ctx)
		}
	}
}

// pass sends the digests that are due and delivers what is pending.
func (s *Service) pass(ctx context.Context) {
	if len(s.Digests.Config.Digests) > 0 {
		if _, _, err := s.SendDue(ctx); err != nil && ctx.Err() == nil {
			s.log.Printf("notify: digests: %v", err)
		}
	} else if _, err := s.Delivery.Deliver(ctx, ""); err != nil && ctx.Err() == nil {
		s.log.Printf("notify: deliver: %v", err)
	}
}
