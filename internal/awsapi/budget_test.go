package awsapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func TestGateNeverLetsMoreThanItsLimitIn(t *testing.T) {
	t.Parallel()
	g := newGate(3)
	var cur, peak atomic.Int64
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := g.acquire(context.Background()); err != nil {
				t.Error(err)
				return
			}
			n := cur.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			time.Sleep(time.Millisecond)
			cur.Add(-1)
			g.release()
		}()
	}
	wg.Wait()
	if p := peak.Load(); p != 3 {
		t.Fatalf("peak in flight %d, want 3", p)
	}
	if _, inflight := g.state(); inflight != 0 {
		t.Fatalf("%d slots still taken after every release", inflight)
	}
}

func TestGateWaiterGivesUpOnCancel(t *testing.T) {
	t.Parallel()
	g := newGate(1)
	if err := g.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := g.acquire(ctx); err == nil {
		t.Fatal("acquire on a full gate returned without a slot and without an error")
	}
	g.release()
	if _, inflight := g.state(); inflight != 0 {
		t.Fatalf("a cancelled waiter kept a slot: %d in flight", inflight)
	}
}

func TestLaneHalvesOnThrottleOncePerCooldownAndRecovers(t *testing.T) {
	t.Parallel()
	l := &lane{gate: newGate(40), cap: 40}
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	l.observe(true, t0)
	if lim, _ := l.gate.state(); lim != 28 {
		t.Fatalf("after a throttle limit = %d, want 28 (40 x 0.7)", lim)
	}
	l.observe(true, t0.Add(100*time.Millisecond)) // same overload
	if lim, _ := l.gate.state(); lim != 28 {
		t.Fatalf("a second throttle within the cooldown cut again: %d", lim)
	}
	l.observe(true, t0.Add(2*time.Second))
	if lim, _ := l.gate.state(); lim != 19 {
		t.Fatalf("a throttle after the cooldown: limit %d, want 19", lim)
	}
	for range 19 {
		l.observe(false, t0.Add(3*time.Second))
	}
	if lim, _ := l.gate.state(); lim != 20 {
		t.Fatalf("after a limit's worth of successes: %d, want 20", lim)
	}
	for range 10000 {
		l.observe(false, t0.Add(4*time.Second))
	}
	if lim, _ := l.gate.state(); lim != 40 {
		t.Fatalf("recovery went to %d, want the cap 40", lim)
	}
	for i := range 20 {
		l.observe(true, t0.Add(time.Duration(10+2*i)*time.Second))
	}
	if lim, _ := l.gate.state(); lim != 1 {
		t.Fatalf("sustained throttling left limit %d, want the floor 1", lim)
	}
}

// TestBudgetCountsAndBacksOffOnRealClientThrottles sends STS calls through
// the SDK to a server that throttles the first two attempts: the budget
// sees each attempt, counts the throttles, cuts STS's limit in that account
// and the call still succeeds.
func TestBudgetCountsAndBacksOffOnRealClientThrottles(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>`))
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/u</Arn><UserId>U</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>`))
	}))
	t.Cleanup(srv.Close)
	cfg := aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("a", "b", ""),
		BaseEndpoint: aws.String(srv.URL),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 5
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			})
		},
	}
	b := NewBudget(64)
	b.Apply(&cfg, "123456789012")
	b.Apply(&cfg, "123456789012") // twice: still one charge per attempt
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity through two throttles: %v", err)
	}
	if aws.ToString(out.Account) != "123456789012" {
		t.Fatalf("account %q", aws.ToString(out.Account))
	}
	st := b.Stats()
	if len(st.Services) != 1 || st.Services[0].Service != "sts" {
		t.Fatalf("services %+v, want sts only", st.Services)
	}
	s := st.Services[0]
	if s.Done != 3 || s.Throttled != 2 || s.InFlight != 0 || st.Peak != 1 {
		t.Fatalf("sts stats %+v peak %d, want 3 done, 2 throttled, 0 in flight, peak 1", s, st.Peak)
	}
	if s.Limit != 7 {
		t.Fatalf("sts limit after a throttle burst = %d, want 7 (cap 10 x 0.7, once)", s.Limit)
	}
}

func TestIsThrottle(t *testing.T) {
	t.Parallel()
	if IsThrottle(nil) || IsThrottle(context.Canceled) {
		t.Fatal("nil or a cancellation counted as a throttle")
	}
}
