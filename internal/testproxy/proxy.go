// Package testproxy is a reverse proxy for tests that sits in front of a
// local AWS emulator and misbehaves on purpose: it adds latency, fails a
// whole region, or answers a share of requests with throttles, 500s and
// connection resets.
package testproxy

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Options choose the misbehaviour.
type Options struct {
	Latency    time.Duration // added to every request
	DeadRegion string        // every request signed for this region fails with 503
	FaultEvery int64         // every Nth request is a fault (throttle, 500, reset in turn); 0 none
	// ThrottleEvery makes every Nth request a throttle in the service's own
	// form (SlowDown, RequestLimitExceeded, Throttling...); 5 throttles 20%.
	ThrottleEvery int64
}

// Proxy is a running misbehaving proxy.
type Proxy struct {
	URL      string
	opts     Options
	rp       *httputil.ReverseProxy
	n        atomic.Int64
	Faults   atomic.Int64 // injected faults so far
	Requests atomic.Int64
	InFlight atomic.Int64 // requests being answered now
	Peak     atomic.Int64 // the most requests ever answered at once

	mu        sync.Mutex
	byService map[string]int64
	thr       atomic.Int64
}

var scopeRE = regexp.MustCompile(`Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/`)

// Start runs a proxy to target until the test ends.
func Start(t testing.TB, target string, o Options) *Proxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("proxy target: %v", err)
	}
	p := &Proxy{opts: o, rp: httputil.NewSingleHostReverseProxy(u), byService: map[string]int64{}}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// ByService returns the requests seen so far per signing service name
// ("s3", "ec2", "iam"...; "" for unsigned ones).
func (p *Proxy) ByService() map[string]int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]int64, len(p.byService))
	for k, v := range p.byService {
		out[k] = v
	}
	return out
}

// ResetCounts zeroes the request counters (requests, per service, peak).
func (p *Proxy) ResetCounts() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.byService = map[string]int64{}
	p.Requests.Store(0)
	p.Peak.Store(p.InFlight.Load())
}

// ServeHTTP forwards, delays or fails one request.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	region, service := "", ""
	if m := scopeRE.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		region, service = m[1], m[2]
	}
	moto := strings.HasPrefix(r.URL.Path, "/moto-api")
	if !moto {
		p.Requests.Add(1)
		p.mu.Lock()
		p.byService[service]++
		p.mu.Unlock()
		n := p.InFlight.Add(1)
		defer p.InFlight.Add(-1)
		for old := p.Peak.Load(); n > old && !p.Peak.CompareAndSwap(old, n); old = p.Peak.Load() {
		}
	}
	if p.opts.Latency > 0 {
		time.Sleep(p.opts.Latency)
	}
	if p.opts.ThrottleEvery > 0 && !moto && p.thr.Add(1)%p.opts.ThrottleEvery == 0 {
		p.Faults.Add(1)
		throttle(w, service)
		return
	}
	if p.opts.DeadRegion != "" && region == p.opts.DeadRegion {
		p.Faults.Add(1)
		http.Error(w, "<Error><Code>ServiceUnavailable</Code><Message>region is down</Message></Error>", http.StatusServiceUnavailable)
		return
	}
	if p.opts.FaultEvery > 0 && !moto {
		if n := p.n.Add(1); n%p.opts.FaultEvery == 0 {
			p.Faults.Add(1)
			switch (n / p.opts.FaultEvery) % 3 {
			case 0:
				throttle(w, service)
			case 1:
				http.Error(w, "<Error><Code>InternalError</Code><Message>boom</Message></Error>", http.StatusInternalServerError)
			default:
				if hj, ok := w.(http.Hijacker); ok {
					if c, _, err := hj.Hijack(); err == nil {
						c.Close()
						return
					}
				}
				http.Error(w, "reset", http.StatusBadGateway)
			}
			return
		}
	}
	p.rp.ServeHTTP(w, r)
}

// throttle answers the way the service throttles: S3's SlowDown (REST-XML),
// EC2's RequestLimitExceeded (ec2query), Security Hub's 429 (REST-JSON),
// JSON services' ThrottlingException,
// else the query protocol's Throttling.
func throttle(w http.ResponseWriter, service string) {
	switch service {
	case "s3", "s3-control", "s3control":
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"))
	case "ec2":
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>test</RequestID></Response>"))
	case "securityhub":
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", "TooManyRequestsException")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"__type":"TooManyRequestsException","Message":"Rate exceeded"}`))
	case "kms", "lambda", "cloudtrail":
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"__type":"ThrottlingException","message":"Rate exceeded"}`))
	default:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte("<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>"))
	}
}
