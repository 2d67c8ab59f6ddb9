package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"mime"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// e2eMail is a real SMTP server for the binary: STARTTLS with a test CA
// (handed to vigil through SSL_CERT_FILE), AUTH PLAIN, and a scripted
// refusal.
type e2eMail struct {
	addr   string
	caFile string
	mu     sync.Mutex
	msgs   [][]byte
	fail   []error
}

func startE2EMail(t *testing.T) *e2eMail {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "vigil e2e SMTP"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	m := &e2eMail{caFile: filepath.Join(t.TempDir(), "ca.pem")}
	if err := os.WriteFile(m.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &e2eSession{m: m}, nil }))
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	m.addr = ln.Addr().String()
	return m
}

func (m *e2eMail) received() [][]byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([][]byte(nil), m.msgs...)
}

type e2eSession struct {
	m    *e2eMail
	auth bool
}

func (s *e2eSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *e2eSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, u, p string) error {
		if u != "vigil" || p != "e2e-pass" {
			return smtp.ErrAuthFailed
		}
		s.auth = true
		return nil
	}), nil
}
func (s *e2eSession) Mail(string, *smtp.MailOptions) error {
	if !s.auth {
		return smtp.ErrAuthRequired
	}
	return nil
}
func (s *e2eSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *e2eSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	if len(s.m.fail) > 0 {
		err, s.m.fail = s.m.fail[0], s.m.fail[1:]
		return err
	}
	s.m.msgs = append(s.m.msgs, b)
	return nil
}
func (s *e2eSession) Reset()        {}
func (s *e2eSession) Logout() error { return nil }

// The real binary on the demo store: a dry run prints a parseable digest,
// a send goes over STARTTLS with AUTH, a refused one is listed by
// `vigil digests`, and the next digest announces nothing twice.
func TestDigestCommandsOnTheDemoStore(t *testing.T) {
	t.Parallel()
	store := demoStore(t)
	ms := startE2EMail(t)
	host, port, _ := net.SplitHostPort(ms.addr)
	cfgHome := t.TempDir()
	if err := os.MkdirAll(filepath.Join(cfgHome, "vigil"), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := "notify:\n" +
		"  smtp: {host: " + host + ", port: " + port + ", from: vigil@example.com, tls: starttls, username: vigil, password_env: VIGIL_SMTP_PASSWORD}\n" +
		"  digests:\n    - {group: all, to: [sec-team@example.com], every: 168h, min_severity: high}\n"
	if err := os.WriteFile(filepath.Join(cfgHome, "vigil", "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"XDG_CONFIG_HOME": cfgHome, "SSL_CERT_FILE": ms.caFile, "VIGIL_SMTP_PASSWORD": "e2e-pass"}

	r := vigil(t, env, "--db", store, "digest", "--dry-run")
	if r.code != 0 {
		t.Fatalf("digest --dry-run: exit %d\n%s", r.code, r.stderr)
	}
	msg, err := mail.ReadMessage(strings.NewReader(r.stdout))
	if err != nil {
		t.Fatalf("dry run is not a message: %v\n%s", err, r.stdout)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if !strings.HasPrefix(subj, "all ") || !strings.Contains(subj, " new ") || !strings.Contains(msg.Header.Get("Content-Type"), "multipart/alternative") {
		t.Errorf("dry run: subject %q, type %q", subj, msg.Header.Get("Content-Type"))
	}
	if len(ms.received()) != 0 {
		t.Fatal("--dry-run sent mail")
	}

	r = vigil(t, env, "--db", store, "digest")
	if r.code != 0 || len(ms.received()) != 1 || !strings.Contains(r.stdout, "1 sent") {
		t.Fatalf("digest: exit %d, %d received\n%s%s", r.code, len(ms.received()), r.stdout, r.stderr)
	}
	sent, _ := mail.ReadMessage(strings.NewReader(string(ms.received()[0])))
	if got, _ := new(mime.WordDecoder).DecodeHeader(sent.Header.Get("Subject")); got != subj {
		t.Errorf("sent subject %q differs from the dry run's %q", got, subj)
	}

	r = vigil(t, env, "--db", store, "digest")
	second, _ := mail.ReadMessage(strings.NewReader(string(ms.received()[len(ms.received())-1])))
	if got, _ := new(mime.WordDecoder).DecodeHeader(second.Header.Get("Subject")); r.code != 0 || !strings.Contains(got, "(±0) · nothing new") {
		t.Errorf("second digest: exit %d, subject %q; want nothing new", r.code, got)
	}

	// cron: the configured digest went out a moment ago, so nothing is due.
	r = vigil(t, env, "--db", store, "digest", "--due")
	if r.code != 0 || !strings.Contains(r.stderr, "0 digests due") || len(ms.received()) != 2 {
		t.Errorf("digest --due right after a send: exit %d, %d received\n%s%s", r.code, len(ms.received()), r.stdout, r.stderr)
	}

	ms.mu.Lock()
	ms.fail = append(ms.fail, &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "relay denied"})
	ms.mu.Unlock()
	r = vigil(t, env, "--db", store, "digest", "--to", "ops@example.com")
	if r.code != 1 || !strings.Contains(r.stderr, "550") {
		t.Errorf("refused digest: exit %d, want 1 naming 550\n%s", r.code, r.stderr)
	}
	r = vigil(t, env, "--db", store, "digests")
	if r.code != 0 || !strings.Contains(r.stdout, "failed") || !strings.Contains(r.stdout, "relay denied") || strings.Count(r.stdout, " sent ") < 2 {
		t.Errorf("digests history: exit %d\n%s", r.code, r.stdout)
	}
	if strings.Contains(r.stdout+r.stderr, "e2e-pass") {
		t.Error("the SMTP password appears in the output")
	}

	// Without a mail server configured nothing is queued (or counted as told).
	bare := map[string]string{"XDG_CONFIG_HOME": t.TempDir()}
	r = vigil(t, bare, "--db", store, "digest", "--to", "ops@example.com")
	if r.code != 2 || !strings.Contains(r.stderr, "notify.smtp.host is not set") {
		t.Errorf("send without smtp: exit %d, want 2\n%s", r.code, r.stderr)
	}
	if after := vigil(t, env, "--db", store, "digests"); !strings.Contains(after.stderr, "3 messages") {
		t.Errorf("digests after a refused start: %s%s", after.stdout, after.stderr)
	}
}
