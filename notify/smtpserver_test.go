package notify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// received is one message the test server accepted.
type received struct {
	from string
	to   []string
	data []byte
	tls  bool   // it came over an encrypted connection
	user string // who authenticated ("" nobody)
}

// mailServer is a real SMTP server (go-smtp) run by a test: STARTTLS when
// it has a certificate, AUTH PLAIN checked against user/pass, and a queue
// of replies to give DATA before accepting (a 4xx, a 5xx).
type mailServer struct {
	host string
	port int
	pool *x509.CertPool // trusts the server's certificate

	user, pass string
	mechs      []string // AUTH mechanisms offered (default PLAIN)

	mu      sync.Mutex
	msgs    []received
	fail    []error
	mails   int // MAIL commands seen
	authTry int // AUTH attempts seen
}

// startMailServer starts a server on 127.0.0.1; withTLS offers STARTTLS
// with a certificate made for the test; user set requires AUTH.
func startMailServer(t *testing.T, withTLS, insecureAuth bool, user, pass string) *mailServer {
	t.Helper()
	ms := &mailServer{user: user, pass: pass}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{ms: ms, c: c}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.AllowInsecureAuth = insecureAuth
	if withTLS {
		cert, pool := testCert(t)
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		ms.pool = pool
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serveOn(t, ms, srv, ln)
	return ms
}

// startMailServerOn serves on a listener the test made (implicit TLS).
func startMailServerOn(t *testing.T, ln net.Listener) *mailServer {
	t.Helper()
	ms := &mailServer{}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{ms: ms, c: c}, nil }))
	srv.Domain = "localhost"
	serveOn(t, ms, srv, ln)
	return ms
}

func serveOn(t *testing.T, ms *mailServer, srv *smtp.Server, ln net.Listener) {
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	ms.host = host
	ms.port, _ = strconv.Atoi(port)
}

func (ms *mailServer) failNext(errs ...error) {
	ms.mu.Lock()
	ms.fail = append(ms.fail, errs...)
	ms.mu.Unlock()
}

func (ms *mailServer) received() []received {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]received(nil), ms.msgs...)
}

func (ms *mailServer) counts() (mails, auths int) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.mails, ms.authTry
}

type session struct {
	ms   *mailServer
	c    *smtp.Conn
	from string
	to   []string
	user string
}

func (s *session) AuthMechanisms() []string {
	s.ms.mu.Lock()
	defer s.ms.mu.Unlock()
	if len(s.ms.mechs) > 0 {
		return s.ms.mechs
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		s.ms.mu.Lock()
		s.ms.authTry++
		s.ms.mu.Unlock()
		if user != s.ms.user || pass != s.ms.pass {
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}
	if mech == sasl.Login {
		return &loginServer{check: check}, nil
	}
	return sasl.NewPlainServer(func(_, user, pass string) error { return check(user, pass) }), nil
}

// loginServer is the server side of AUTH LOGIN (go-sasl has the client only).
type loginServer struct {
	check func(user, pass string) error
	step  int
	user  string
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	l.step++
	switch l.step {
	case 1:
		return []byte("Username:"), false, nil
	case 2:
		l.user = string(resp)
		return []byte("Password:"), false, nil
	}
	return nil, true, l.check(l.user, string(resp))
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.ms.mu.Lock()
	s.ms.mails++
	s.ms.mu.Unlock()
	if s.ms.user != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.ms.mu.Lock()
	defer s.ms.mu.Unlock()
	if len(s.ms.fail) > 0 {
		err := s.ms.fail[0]
		s.ms.fail = s.ms.fail[1:]
		return err
	}
	_, isTLS := s.c.TLSConnectionState()
	s.ms.msgs = append(s.ms.msgs, received{from: s.from, to: s.to, data: b, tls: isTLS, user: s.user})
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// testCert makes a self-signed certificate for 127.0.0.1 and a pool that
// trusts it.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "vigil test SMTP"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// smtpError is a server reply for failNext.
func smtpError(code int, msg string) error {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: msg}
}
