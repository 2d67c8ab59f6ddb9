// Package awsapi holds what every AWS client of vigil shares: the request
// budget that bounds the requests a scan has in flight, per service and
// account limits that back off on throttling, and the counters progress
// displays read.
package awsapi

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// DefaultMaxInFlight is the scan's request budget when none is configured.
const DefaultMaxInFlight = 64

// serviceCaps are tighter in-flight limits, per account, for services whose
// control planes AWS documents as low-rate (IAM is one global endpoint per
// account; STS quotas are per account and region). Keys are lower-case SDK
// service IDs.
var serviceCaps = map[string]int{"iam": 10, "sts": 10}

// AIMD tuning. A throttle cuts the lane's limit to decreaseFactor of itself
// (the SDK's adaptive mode uses the same CUBIC beta of 0.7), at most once per
// decreaseCooldown so that the burst of throttles one overload produces
// counts once; every limit successes in a row add one slot back.
const (
	decreaseFactor   = 0.7
	decreaseCooldown = time.Second
)

// budgetMiddlewareID names the middleware in the SDK's stack.
const budgetMiddlewareID = "vigil.RequestBudget"

// Budget bounds the requests a scan has in flight across every client it
// is applied to, and lowers a service's pace in one account when that
// service throttles, raising it again as requests succeed (AIMD). It is
// safe for concurrent use.
type Budget struct {
	max    int
	global *gate
	now    func() time.Time

	mu       sync.Mutex
	lanes    map[laneKey]*lane
	services map[string]*counters

	inflight atomic.Int64
	peak     atomic.Int64
}

type laneKey struct{ service, account string }

// lane is one service in one account: its own gate, whose limit moves.
type lane struct {
	gate *gate
	cap  int

	mu      sync.Mutex
	lastCut time.Time
	okRun   int
}

// counters are one service's running totals.
type counters struct {
	done, inflight, throttled atomic.Int64
}

// NewBudget returns a budget of maxInFlight requests at once
// (DefaultMaxInFlight when maxInFlight <= 0).
func NewBudget(maxInFlight int) *Budget {
	if maxInFlight <= 0 {
		maxInFlight = DefaultMaxInFlight
	}
	return &Budget{
		max: maxInFlight, global: newGate(maxInFlight), now: time.Now,
		lanes: map[laneKey]*lane{}, services: map[string]*counters{},
	}
}

// Max returns the budget: the most requests ever in flight at once.
func (b *Budget) Max() int { return b.max }

// Apply makes every client built from cfg afterwards spend this budget,
// charging its requests to account. cfg's option list is copied, so other
// copies of the config are not affected.
func (b *Budget) Apply(cfg *aws.Config, account string) {
	opts := make([]func(*middleware.Stack) error, 0, len(cfg.APIOptions)+1)
	opts = append(opts, cfg.APIOptions...)
	cfg.APIOptions = append(opts, func(st *middleware.Stack) error {
		if _, ok := st.Deserialize.Get(budgetMiddlewareID); ok {
			return nil // applied twice: one charge is enough
		}
		return st.Deserialize.Add(b.middleware(account), middleware.Before)
	})
}

// middleware charges each attempt of an operation to the budget. It sits
// below the retry middleware, so it runs once per attempt and a request
// waiting out its backoff holds no slot.
func (b *Budget) middleware(account string) middleware.DeserializeMiddleware {
	return middleware.DeserializeMiddlewareFunc(budgetMiddlewareID, func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
		service := strings.ToLower(awsmiddleware.GetServiceID(ctx))
		if service == "" {
			service = "aws"
		}
		l, c := b.lane(service, account)
		if err := l.gate.acquire(ctx); err != nil {
			return middleware.DeserializeOutput{}, middleware.Metadata{}, err
		}
		if err := b.global.acquire(ctx); err != nil {
			l.gate.release()
			return middleware.DeserializeOutput{}, middleware.Metadata{}, err
		}
		n := b.inflight.Add(1)
		for p := b.peak.Load(); n > p && !b.peak.CompareAndSwap(p, n); p = b.peak.Load() {
		}
		c.inflight.Add(1)
		out, md, err := next.HandleDeserialize(ctx, in)
		c.inflight.Add(-1)
		b.inflight.Add(-1)
		b.global.release()
		l.gate.release()
		c.done.Add(1)
		throttled := IsThrottle(err)
		if throttled {
			c.throttled.Add(1)
		}
		if err == nil || throttled {
			l.observe(throttled, b.now())
		}
		return out, md, err
	})
}

// lane returns (creating) the lane of service in account and the service's
// counters.
func (b *Budget) lane(service, account string) (*lane, *counters) {
	b.mu.Lock()
	defer b.mu.Unlock()
	k := laneKey{service, account}
	l, ok := b.lanes[k]
	if !ok {
		limit := b.max
		if c, ok := serviceCaps[service]; ok && c < limit {
			limit = c
		}
		l = &lane{gate: newGate(limit), cap: limit}
		b.lanes[k] = l
	}
	c, ok := b.services[service]
	if !ok {
		c = &counters{}
		b.services[service] = c
	}
	return l, c
}

// observe moves the lane's limit after an answer: down by decreaseFactor on
// a throttle (once per cooldown), up by one after a limit's worth of
// successes.
func (l *lane) observe(throttled bool, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	limit, _ := l.gate.state()
	if throttled {
		l.okRun = 0
		if now.Sub(l.lastCut) < decreaseCooldown {
			return
		}
		l.lastCut = now
		l.gate.setLimit(max(1, int(float64(limit)*decreaseFactor)))
		return
	}
	if limit >= l.cap {
		return
	}
	l.okRun++
	if l.okRun >= limit {
		l.okRun = 0
		l.gate.setLimit(limit + 1)
	}
}

// IsThrottle reports whether err is AWS asking the caller to slow down: one
// of the SDK's throttle error codes (Throttling, SlowDown,
// RequestLimitExceeded...) or an HTTP 429 or 503 answer.
func IsThrottle(err error) bool {
	if err == nil {
		return false
	}
	if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) == aws.TrueTernary {
		return true
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		switch re.HTTPStatusCode() {
		case 429, 503:
			return true
		}
	}
	return false
}

// ServiceStats are one service's request counts so far.
type ServiceStats struct {
	Service   string // lower-case SDK service ID: "s3", "ec2", "iam"...
	Done      int64  // attempts answered (throttled ones included)
	InFlight  int64  // attempts waiting for an answer now
	Throttled int64  // attempts answered with a throttle
	Limit     int    // the lowest in-flight limit of the service in any account now
}

// Stats is a snapshot of the budget.
type Stats struct {
	Max       int   // the budget
	InFlight  int64 // attempts in flight now
	Peak      int64 // the most attempts ever in flight at once
	Done      int64
	Throttled int64
	Services  []ServiceStats // sorted by service
}

// Stats returns the counts so far.
func (b *Budget) Stats() Stats {
	b.mu.Lock()
	limits := map[string]int{}
	for k, l := range b.lanes {
		lim, _ := l.gate.state()
		if cur, ok := limits[k.service]; !ok || lim < cur {
			limits[k.service] = lim
		}
	}
	s := Stats{Max: b.max, InFlight: b.inflight.Load(), Peak: b.peak.Load()}
	for name, c := range b.services {
		ss := ServiceStats{Service: name, Done: c.done.Load(), InFlight: c.inflight.Load(), Throttled: c.throttled.Load(), Limit: limits[name]}
		s.Done += ss.Done
		s.Throttled += ss.Throttled
		s.Services = append(s.Services, ss)
	}
	b.mu.Unlock()
	sort.Slice(s.Services, func(i, j int) bool { return s.Services[i].Service < s.Services[j].Service })
	return s
}
