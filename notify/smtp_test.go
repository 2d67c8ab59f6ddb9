package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/config"
)

func TestSendOverStartTLSWithAuthPlain(t *testing.T) {
	t.Parallel()
	ms := startMailServer(t, true, false, "vigil", "s3cret")
	m := &Mailer{Host: ms.host, Port: ms.port, TLS: config.TLSStartTLS, Username: "vigil", Password: "s3cret",
		TLSConfig: &tls.Config{RootCAs: ms.pool}}
	msg := []byte("Subject: hi\r\n\r\nhello\r\n")
	if err := m.Send(context.Background(), "vigil@example.com", []string{"a@example.com", "b@example.com"}, msg); err != nil {
		t.Fatal(err)
	}
	got := ms.received()
	if len(got) != 1 {
		t.Fatalf("server has %d messages, want 1", len(got))
	}
	r := got[0]
	if !r.tls || r.user != "vigil" || r.from != "vigil@example.com" || len(r.to) != 2 || !strings.Contains(string(r.data), "hello") {
		t.Errorf("received %+v: want over TLS, as vigil, to 2 recipients", r)
	}
}

func TestWrongPasswordIsRefusedForGood(t *testing.T) {
	t.Parallel()
	ms := startMailServer(t, true, false, "vigil", "s3cret")
	m := &Mailer{Host: ms.host, Port: ms.port, TLS: config.TLSStartTLS, Username: "vigil", Password: "nope",
		TLSConfig: &tls.Config{RootCAs: ms.pool}}
	err := m.Send(context.Background(), "vigil@example.com", []string{"a@example.com"}, []byte("x\r\n"))
	var se *SendError
	if !errors.As(err, &se) || se.Temporary || !strings.Contains(err.Error(), "535") {
		t.Fatalf("err = %v; want a permanent 535", err)
	}
	if len(ms.received()) != 0 {
		t.Error("a message got through with a wrong password")
	}
}

// The config says starttls; a server that does not offer it gets nothing,
// not even the envelope.
func TestStartTLSRequiredButNotOfferedIsRefused(t *testing.T) {
	t.Parallel()
	ms := startMailServer(t, false, true, "", "")
	m := &Mailer{Host: ms.host, Port: ms.port, TLS: config.TLSStartTLS}
	err := m.Send(context.Background(), "vigil@example.com", []string{"a@example.com"}, []byte("secret report\r\n"))
	var se *SendError
	if !errors.As(err, &se) || se.Temporary || !strings.Contains(err.Error(), "does not offer STARTTLS") {
		t.Fatalf("err = %v; want a permanent refusal naming STARTTLS", err)
	}
	if mails, _ := ms.counts(); mails != 0 || len(ms.received()) != 0 {
		t.Errorf("server saw %d MAIL commands; want none", mails)
	}
}

// A password never crosses an unencrypted connection, even when the server
// would take it.
func TestNoAuthWithoutTLS(t *testing.T) {
	t.Parallel()
	ms := startMailServer(t, false, true, "vigil", "s3cret")
	m := &Mailer{Host: ms.host, Port: ms.port, TLS: config.TLSNone, Username: "vigil", Password: "s3cret"}
	err := m.Send(context.Background(), "vigil@example.com", []string{"a@example.com"}, []byte("x\r\n"))
	if err == nil || !strings.Contains(err.Error(), "only over TLS") {
		t.Fatalf("err = %v; want a refusal to authenticate in clear", err)
	}
	if _, auths := ms.counts(); auths != 0 {
		t.Errorf("the server saw %d AUTH attempts in clear", auths)
	}
}

func TestImplicitTLS(t *testing.T) {
	t.Parallel()
	cert, pool := testCert(t)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	ms := startMailServerOn(t, ln)
	m := &Mailer{Host: "127.0.0.1", Port: ms.port, TLS: config.TLSImplicit, TLSConfig: &tls.Config{RootCAs: pool}, Timeout: 10 * time.Second}
	if err := m.Send(context.Background(), "vigil@example.com", []string{"a@example.com"}, []byte("Subject: x\r\n\r\nbody\r\n")); err != nil {
		t.Fatal(err)
	}
	if got := ms.received(); len(got) != 1 {
		t.Fatalf("server has %d messages, want 1", len(got))
	}
}

func TestAuthLoginWhenPlainIsNotOffered(t *testing.T) {
	t.Parallel()
	ms := startMailServer(t, true, false, "vigil", "s3cret")
	ms.mu.Lock()
	ms.mechs = []string{"LOGIN"}
	ms.mu.Unlock()
	m := &Mailer{Host: ms.host, Port: ms.port, TLS: config.TLSStartTLS, Username: "vigil", Password: "s3cret",
		TLSConfig: &tls.Config{RootCAs: ms.pool}}
	if err := m.Send(context.Background(), "vigil@example.com", []string{"a@example.com"}, []byte("x\r\n")); err != nil {
		t.Fatal(err)
	}
	if got := ms.received(); len(got) != 1 || got[0].user != "vigil" {
		t.Fatalf("received %+v; want one message authenticated with LOGIN", got)
	}
}
