package scanner

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// benchLatency is what every AWS call costs on top of moto's own time: a
// typical round trip to a nearby AWS region.
const benchLatency = 50 * time.Millisecond

// latencyProxy forwards to moto after a fixed delay, counting calls.
func latencyProxy(b *testing.B, target string, delay time.Duration) (*httptest.Server, *atomic.Int64) {
	b.Helper()
	u, err := url.Parse(target)
	if err != nil {
		b.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		time.Sleep(delay)
		rp.ServeHTTP(w, r)
	}))
	b.Cleanup(srv.Close)
	return srv, &calls
}

// BenchmarkScanLatency scans one account's regional fixture in two regions
// (18 units) through a 50ms-per-call proxy, at the default concurrency and
// at concurrency 1.
func BenchmarkScanLatency(b *testing.B) {
	env := newRegionalEnv(b)
	proxy, calls := latencyProxy(b, env.srv.URL, benchLatency)
	target := env.targets[0]
	target.Config = target.Config.Copy()
	target.Config.BaseEndpoint = &proxy.URL
	targets := []Target{target}

	for _, c := range []struct {
		name        string
		concurrency int
	}{{"default", 0}, {"serial", 1}} {
		b.Run(c.name, func(b *testing.B) {
			r := &Runner{Registry: NewRegistry(regionalCollectors()...), Regions: fxRegions, Concurrency: c.concurrency}
			calls.Store(0)
			b.ResetTimer()
			for b.Loop() {
				err := r.Run(context.Background(), targets, func(u asset.Unit, _ []asset.Asset) {
					if u.Status != asset.UnitComplete {
						b.Fatalf("unit %s failed: %s", u.UnitKey, u.Error)
					}
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(calls.Load())/float64(b.N), "calls/op")
		})
	}
}
