package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The real binary fires a signed webhook when a violation re-opens: an
// exception is added, then revoked, and the command delivers what it
// queued before it exits.
func TestWebhookFromExceptionRevoke(t *testing.T) {
	t.Parallel()
	store := demoStore(t)
	var mu sync.Mutex
	var bodies [][]byte
	var sigs []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies, sigs = append(bodies, b), append(sigs, r.Header.Get("X-Vigil-Signature"))
		mu.Unlock()
	}))
	defer srv.Close()
	cfgHome := t.TempDir()
	if err := os.MkdirAll(filepath.Join(cfgHome, "vigil"), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := "notify:\n  webhooks:\n    - {url: \"" + srv.URL + "/hook\", events: [violation.opened], min_severity: critical, secret_env: HOOK_SECRET}\n"
	if err := os.WriteFile(filepath.Join(cfgHome, "vigil", "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"XDG_CONFIG_HOME": cfgHome, "HOOK_SECRET": "e2e-hook-secret"}

	r := vigil(t, env, "--db", store, "violations", "--json")
	var vs []struct{ ID, Severity string }
	mustJSON(t, r.stdout, &vs)
	target := ""
	for _, v := range vs {
		if v.Severity == "critical" {
			target = v.ID
			break
		}
	}
	if target == "" {
		t.Fatal("the demo store has no open critical violation")
	}
	r = vigil(t, env, "--db", store, "exceptions", "add", target, "--reason", "e2e", "--expires", "7d")
	fields := strings.Fields(r.stdout)
	if r.code != 0 || len(fields) < 2 {
		t.Fatalf("exceptions add: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	mu.Lock()
	before := len(bodies)
	mu.Unlock()
	if r = vigil(t, env, "--db", store, "exceptions", "revoke", fields[1]); r.code != 0 {
		t.Fatalf("exceptions revoke: exit %d\n%s", r.code, r.stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	found := false
	for i, b := range bodies[before:] {
		mac := hmac.New(sha256.New, []byte("e2e-hook-secret"))
		mac.Write(b)
		if sigs[before+i] != "sha256="+hex.EncodeToString(mac.Sum(nil)) {
			t.Errorf("bad signature %q on %s", sigs[before+i], b)
		}
		var p struct {
			Event     string
			Violation struct{ ID, Severity string }
		}
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		if p.Event != "violation.opened" || p.Violation.Severity != "critical" {
			t.Errorf("unexpected delivery %s", b)
		}
		found = found || p.Violation.ID == target
	}
	if !found {
		t.Errorf("no violation.opened for %s among %d deliveries", target, len(bodies)-before)
	}
}
