package main

import (
	"bufio"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The server's schedule sends the configured digests: `vigil serve` on a
// store whose digest was never sent mails it over STARTTLS and AUTH
// without anyone running `vigil digest`, and records it in `vigil digests`.
func TestServeSendsConfiguredDigest(t *testing.T) {
	t.Parallel()
	store := demoStore(t)
	ms := startE2EMail(t)
	host, port, _ := net.SplitHostPort(ms.addr)
	keyDir := t.TempDir()
	key := filepath.Join(keyDir, "ada")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ada", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	cfgHome := t.TempDir()
	if err := os.MkdirAll(filepath.Join(cfgHome, "vigil"), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := "serve:\n  users:\n    - {name: ada, role: admin, keys: [" + fmt.Sprintf("%q", strings.TrimSpace(string(pub))) + "]}\n" +
		"notify:\n" +
		"  smtp: {host: " + host + ", port: " + port + ", from: vigil@example.com, tls: starttls, username: vigil, password_env: VIGIL_SMTP_PASSWORD}\n" +
		"  digests:\n    - {group: prod, to: [sec-team@example.com], every: 24h}\n"
	if err := os.WriteFile(filepath.Join(cfgHome, "vigil", "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"XDG_CONFIG_HOME": cfgHome, "SSL_CERT_FILE": ms.caFile, "VIGIL_SMTP_PASSWORD": "e2e-pass"}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(vigilBin, "serve", "--db", store, "--listen", addr)
	cmd.Env = baseEnv(t, env)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
		}
	}()
	deadline := time.Now().Add(2 * time.Minute)
	for len(ms.received()) == 0 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	got := ms.received()
	if len(got) != 1 {
		t.Fatalf("the server sent %d digests within 2 minutes, want 1", len(got))
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(got[0])))
	if err != nil {
		t.Fatal(err)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if !strings.HasPrefix(subj, "prod ") || !strings.Contains(msg.Header.Get("To"), "sec-team@example.com") {
		t.Errorf("digest from the server: subject %q, to %q", subj, msg.Header.Get("To"))
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	r := vigil(t, env, "--db", store, "digests")
	if r.code != 0 || !strings.Contains(r.stdout, "sent") || !strings.Contains(r.stdout, "prod") {
		t.Errorf("vigil digests after the server's send: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(ms.received()); n != 1 {
		t.Errorf("%d digests in all, want exactly 1 (the server must not send it twice)", n)
	}
}
