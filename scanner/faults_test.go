package scanner

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vigil-sec/vigil/asset"
)

// faultProxy stands between the SDK and moto. It fails every request signed
// for deadRegion, and a share of the others with a throttle, a 500 or a
// connection reset or a connection closed before any answer, which the SDK's
// retries have to absorb.
type faultProxy struct {
	proxy      *httputil.ReverseProxy
	deadRegion string
	every      int64 // one healthy request in every fails, cycling through the fault kinds

	seen                                             atomic.Int64 // healthy requests so far
	throttled, errored, reset, dropped, dead, passed atomic.Int64
}

func newFaultProxy(t *testing.T, target, deadRegion string, every int64) (*faultProxy, *httptest.Server) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{proxy: httputil.NewSingleHostReverseProxy(u), deadRegion: deadRegion, every: every}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, srv
}

// signedScope returns the region and service of a SigV4 request, read from
// the credential scope of its Authorization header.
func signedScope(r *http.Request) (region, service string) {
	auth := r.Header.Get("Authorization")
	i := strings.Index(auth, "Credential=")
	if i < 0 {
		return "", ""
	}
	scope := strings.SplitN(auth[i+len("Credential="):], ",", 2)[0]
	parts := strings.Split(scope, "/") // AKID/date/region/service/aws4_request
	if len(parts) < 5 {
		return "", ""
	}
	return parts[2], parts[3]
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	region, service := signedScope(r)
	if region == p.deadRegion {
		p.dead.Add(1)
		writeAWSError(w, http.StatusServiceUnavailable, service, "ServiceUnavailable", "region is down")
		return
	}
	n := p.seen.Add(1)
	if n%p.every != 0 {
		p.passed.Add(1)
		p.proxy.ServeHTTP(w, r)
		return
	}
	switch (n / p.every) % 4 {
	case 0:
		p.throttled.Add(1)
		code := "Throttling"
		if service == "ec2" {
			code = "RequestLimitExceeded"
		}
		writeAWSError(w, http.StatusTooManyRequests, service, code, "Rate exceeded")
	case 1:
		p.errored.Add(1)
		writeAWSError(w, http.StatusInternalServerError, service, "InternalError", "something broke")
	case 2:
		p.reset.Add(1)
		resetConnection(w, true)
	default:
		p.dropped.Add(1)
		resetConnection(w, false)
	}
}

// writeAWSError answers in the XML error shape of the service's protocol:
// EC2's own, or the query protocol's (RDS, ELBv2, STS).
func writeAWSError(w http.ResponseWriter, status int, service, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	if service == "ec2" {
		fmt.Fprintf(w, `<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>fault</RequestID></Response>`, code, msg)
		return
	}
	fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fault</RequestId></ErrorResponse>`, code, msg)
}

// resetConnection drops the client's connection without answering: with a
// TCP reset (rst) or an orderly close the client reads as EOF.
func resetConnection(w http.ResponseWriter, rst bool) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	if tc, ok := conn.(*net.TCPConn); ok && rst {
		_ = tc.SetLinger(0)
	}
	conn.Close()
}

func TestScanThroughFaultsRetriesAndIsolatesADeadRegion(t *testing.T) {
	env := newRegionalEnv(t)
	targets := env.targets[:1] // one account keeps the dead region's retries short
	r := &Runner{Registry: NewRegistry(regionalCollectors()...), Regions: fxRegions, Concurrency: 16}
	directUnits, direct := runScan(t, r, targets)

	// One healthy request in four fails. Waits between attempts are cut
	// to 100ms so the dead region's ten attempts per call stay quick.
	faults, proxy := newFaultProxy(t, env.srv.URL, "eu-west-1", 4)
	through := []Target{targets[0]}
	through[0].Config = targets[0].Config.Copy()
	through[0].Config.BaseEndpoint = &proxy.URL
	through[0].Config.Retryer = func() aws.Retryer { return newRetryer(100 * time.Millisecond) }
	units, assets := runScan(t, r, through)

	if len(units) != len(directUnits) {
		t.Fatalf("%d units through faults, %d direct", len(units), len(directUnits))
	}
	deadUnits := 0
	for key, u := range units {
		if key.Region == "eu-west-1" {
			deadUnits++
			if u.Status != asset.UnitFailed || !strings.Contains(u.Error, "ServiceUnavailable") || u.Assets != 0 || len(assets[key]) != 0 {
				t.Errorf("dead-region unit %s = %s %q with %d assets, want failed with the error and none", key, u.Status, u.Error, len(assets[key]))
			}
			continue
		}
		if u.Status != asset.UnitComplete {
			t.Errorf("healthy unit %s = %s %q, want complete after retries", key, u.Status, u.Error)
			continue
		}
		if !sameAssets(assets[key], direct[key]) {
			t.Errorf("unit %s: assets through faults differ from the direct scan", key)
		}
	}
	t.Logf("proxy: %d passed, %d throttled, %d 500s, %d resets, %d dropped, %d dead-region",
		faults.passed.Load(), faults.throttled.Load(), faults.errored.Load(), faults.reset.Load(), faults.dropped.Load(), faults.dead.Load())
	// Each dead unit gives up only after a call used every attempt (calls
	// running beside it in the unit are cancelled part way).
	if got, want := faults.dead.Load(), int64(deadUnits*retryMaxAttempts); got < want {
		t.Errorf("dead region saw %d attempts, want at least %d (%d units x %d attempts)", got, want, deadUnits, retryMaxAttempts)
	}
	if faults.throttled.Load() == 0 || faults.errored.Load() == 0 || faults.reset.Load() == 0 || faults.dropped.Load() == 0 {
		t.Error("the proxy did not inject every kind of fault; the test proves nothing")
	}
}

// sameAssets reports whether two lists hold the same assets (ID, name,
// tags and document), in any order.
func sameAssets(a, b []asset.Asset) bool {
	if len(a) != len(b) {
		return false
	}
	byID := make(map[string]asset.Asset, len(b))
	for _, x := range b {
		byID[x.ID] = x
	}
	for _, x := range a {
		y, ok := byID[x.ID]
		if !ok || x.Name != y.Name || !reflect.DeepEqual(x.Tags, y.Tags) || !reflect.DeepEqual(x.Attrs, y.Attrs) {
			return false
		}
	}
	return true
}
