package scanner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/internal/testmoto"
)

// docsTestAccount is moto's default account.
const docsTestAccount = "123456789012"

// docsTestSession builds a session against srv by hand (after srv.Setenv),
// so these tests do not depend on the runner.
func docsTestSession(t testing.TB, srv *testmoto.Server, region string, regions ...string) *Session {
	t.Helper()
	cfgRegion := region
	if region == asset.Global {
		cfgRegion = "us-east-1"
	}
	cfg, err := awsconfig.LoadDefaultConfig(context.Background(), awsconfig.WithRegion(cfgRegion))
	if err != nil {
		t.Fatalf("load aws config: %v", err)
	}
	if len(regions) == 0 {
		regions = []string{cfgRegion}
	}
	return &Session{
		Config: cfg, Account: docsTestAccount, Region: region, Regions: regions,
		Endpoint: srv.URL, Now: time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC),
	}
}

// docsStartMoto starts moto, points the environment at it and returns it.
func docsStartMoto(t testing.TB) *testmoto.Server {
	t.Helper()
	srv := testmoto.Start(t)
	srv.Setenv(t)
	return srv
}

// docsCollect runs a collector and indexes its assets by ID, checking the
// identity fields every asset must carry.
func docsCollect(t *testing.T, c Collector, s *Session) map[string]asset.Asset {
	t.Helper()
	assets, err := c.Collect(context.Background(), s)
	if err != nil {
		t.Fatalf("collect %s: %v", c.Type(), err)
	}
	byID := map[string]asset.Asset{}
	for _, a := range assets {
		if a.Type != c.Type() || a.Account != docsTestAccount || a.ID == "" || a.Name == "" || a.Region == "" {
			t.Errorf("asset identity incomplete: %+v", a)
		}
		if _, dup := byID[a.ID]; dup {
			t.Errorf("asset %s listed twice", a.ID)
		}
		if _, err := json.Marshal(a); err != nil {
			t.Errorf("asset %s does not marshal: %v", a.ID, err)
		}
		byID[a.ID] = a
	}
	return byID
}

// docsGet reads a dotted path from an asset's attributes, failing when absent.
func docsGet(t *testing.T, a asset.Asset, path string) any {
	t.Helper()
	v, ok := asset.Get(a.Attrs, path)
	if !ok {
		t.Fatalf("%s: attribute %q missing", a.ID, path)
	}
	return v
}

// docsWant checks one attribute's value.
func docsWant(t *testing.T, a asset.Asset, path string, want any) {
	t.Helper()
	if got := docsGet(t, a, path); got != want {
		t.Errorf("%s: %s = %#v, want %#v", a.Name, path, got, want)
	}
}

// docsHasKeys checks that every listed attribute is present.
func docsHasKeys(t *testing.T, a asset.Asset, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := a.Attrs[k]; !ok {
			t.Errorf("%s: attribute %q missing", a.ID, k)
		}
	}
}

// docsList reads a list attribute.
func docsList(t *testing.T, a asset.Asset, path string) []any {
	t.Helper()
	v := docsGet(t, a, path)
	l, ok := v.([]any)
	if !ok {
		t.Fatalf("%s: %s is %T, want a list", a.Name, path, v)
	}
	return l
}

// docsContains reports whether a list holds a string.
func docsContains(l []any, s string) bool {
	for _, v := range l {
		if v == s {
			return true
		}
	}
	return false
}

// docsAWS runs the awscli against srv like srv.AWS, but leaves out the
// empty AWS_PROFILE and AWS_SESSION_TOKEN that testmoto.Env sets: awscli v1
// fails with `The config profile () could not be found` when AWS_PROFILE is
// set to "".
func docsAWS(t testing.TB, srv *testmoto.Server, args ...string) string {
	t.Helper()
	cmd := exec.Command("aws", append([]string{"--endpoint-url", srv.URL, "--output", "json"}, args...)...)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	for k, v := range srv.Env() {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	return string(out)
}

// docsOK returns a checker for seeding calls: ok(client.Create(...)) fails
// the test when the call failed.
func docsOK(t testing.TB) func(any, error) {
	return func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
}

// docsDenyProxy forwards to moto but answers AccessDenied to the requests
// deny picks, so a test can check that an unexpected error fails the unit.
func docsDenyProxy(t *testing.T, target string, deny func(r *http.Request, body string) bool) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if deny(r, string(body)) {
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(http.StatusForbidden)
			if strings.Contains(string(body), "Action=") { // query protocol (IAM)
				fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>denied by test</Message></Error><RequestId>x</RequestId></ErrorResponse>`)
			} else { // S3 REST-XML
				fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>denied by test</Message><RequestId>x</RequestId></Error>`)
			}
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// docsThrough returns a copy of s whose requests go through endpoint.
func docsThrough(s *Session, endpoint string) *Session {
	c := *s
	c.Config = s.Config.Copy()
	c.Config.BaseEndpoint = aws.String(endpoint)
	c.Endpoint = endpoint
	return &c
}
