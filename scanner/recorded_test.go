package scanner

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// recordedResponse is a canned response in the API's documented wire
// format, standing in for an API that moto 5.2.1 does not serve.
type recordedResponse struct {
	method, path string // the request it answers
	body         string // JSON body as AWS sent it
}

// recordedProxy answers the recorded requests itself and forwards every
// other one to target (moto; "" for none, which answers 404).
func recordedProxy(t *testing.T, target string, recorded ...recordedResponse) string {
	t.Helper()
	var proxy http.Handler = http.NotFoundHandler()
	if target != "" {
		u, err := url.Parse(target)
		if err != nil {
			t.Fatal(err)
		}
		proxy = httputil.NewSingleHostReverseProxy(u)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, rec := range recorded {
			if r.Method == rec.method && r.URL.Path == rec.path {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(rec.body))
				return
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// recordedSession is a session of moto's default account with test
// credentials and no environment, for collectors tested against recorded
// responses only (docsThrough points it at the recording).
func recordedSession(t *testing.T, region string) *Session {
	t.Helper()
	cfg := aws.Config{Region: region, Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "test-secret", ""), RetryMaxAttempts: 1}
	return &Session{Config: cfg, Account: docsTestAccount, Region: region, Regions: []string{region},
		Now: time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC)}
}
