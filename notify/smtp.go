// Package notify tells people and tools what vigil found: e-mail digests of
// a group over SMTP and webhook events, both written to the store's outbox
// first and delivered from there with retries (see docs/NOTIFY.md).
package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/config"
)

// Mailer sends a message through one SMTP server, with the transport
// security the config asks for.
type Mailer struct {
	Host     string
	Port     int
	TLS      string // config.TLSNone | TLSStartTLS | TLSImplicit
	Username string
	Password string // read from the environment, never from the config file
	// TLSConfig, when set, verifies the server (tests: their own CA); nil
	// uses the system roots with Host as the server name.
	TLSConfig *tls.Config
	Timeout   time.Duration // per connection; 0: 30s
}

// NewMailer builds a Mailer from notify.smtp, reading the password from
// the variable password_env names.
func NewMailer(s config.NotifySMTP, getenv func(string) string) (*Mailer, error) {
	if s.Host == "" {
		return nil, errors.New("notify.smtp.host is not set; configure the mail server in config.yaml")
	}
	m := &Mailer{Host: s.Host, Port: s.SMTPPort(), TLS: s.TLSMode(), Username: s.Username}
	if s.Username != "" {
		m.Password = getenv(s.PasswordEnv)
		if m.Password == "" {
			return nil, fmt.Errorf("notify.smtp.password_env: the variable %s is empty; export the SMTP password in it", s.PasswordEnv)
		}
	}
	return m, nil
}

// SendError is a failed delivery, saying whether a later attempt may
// succeed (an SMTP 4xx, a network error) or not (a 5xx, a server that does
// not offer the TLS the config requires).
type SendError struct {
	Temporary bool
	Err       error
}

// Error is the cause's text.
func (e *SendError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *SendError) Unwrap() error { return e.Err }

// permanent and temporary wrap err as a SendError.
func permanent(err error) error { return &SendError{Err: err} }
func temporary(err error) error { return &SendError{Temporary: true, Err: err} }

// classify marks an SMTP reply error by its code: 4xx temporary, 5xx
// permanent; anything else (the connection broke) temporary.
func classify(stage string, err error) error {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		err = fmt.Errorf("%s: server replied %d %s", stage, tp.Code, tp.Msg)
		if tp.Code >= 400 && tp.Code < 500 {
			return temporary(err)
		}
		return permanent(err)
	}
	return temporary(fmt.Errorf("%s: %w", stage, err))
}

// Send delivers msg (a complete RFC 5322 message) from from to every
// recipient. It refuses to send in clear when STARTTLS is required and not
// offered, and never authenticates over an unencrypted connection.
func (m *Mailer) Send(ctx context.Context, from string, to []string, msg []byte) error {
	timeout := m.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	addr := net.JoinHostPort(m.Host, strconv.Itoa(m.Port))
	d := &net.Dialer{Timeout: timeout}
	tlsCfg := m.tlsConfig()
	var conn net.Conn
	var err error
	if m.TLS == config.TLSImplicit {
		conn, err = (&tls.Dialer{NetDialer: d, Config: tlsCfg}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return temporary(fmt.Errorf("connect to %s: %w", addr, err))
	}
	deadline := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	_ = conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, m.Host)
	if err != nil {
		conn.Close()
		return classify("greeting from "+addr, err)
	}
	defer c.Close()
	if err := c.Hello(helloName()); err != nil {
		return classify("EHLO", err)
	}
	if m.TLS == config.TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return permanent(fmt.Errorf("%s does not offer STARTTLS, which notify.smtp.tls: starttls requires; nothing was sent (use tls: tls for implicit TLS, or fix the server)", addr))
		}
		if err := c.StartTLS(tlsCfg); err != nil {
			return classify("STARTTLS", err)
		}
	}
	if m.Username != "" {
		if err := m.auth(c); err != nil {
			return err
		}
	}
	if err := c.Mail(from); err != nil {
		return classify("MAIL FROM", err)
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return classify("RCPT TO "+r, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return classify("DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return classify("DATA", err)
	}
	if err := w.Close(); err != nil {
		return classify("end of DATA", err)
	}
	_ = c.Quit() // the message is accepted; a failed QUIT changes nothing
	return nil
}

// auth authenticates with PLAIN or LOGIN, and only over TLS.
func (m *Mailer) auth(c *smtp.Client) error {
	if _, isTLS := c.TLSConnectionState(); !isTLS {
		return permanent(errors.New("notify.smtp.username is set but the connection is not encrypted; vigil sends a password only over TLS (set tls: starttls or tls)"))
	}
	ok, mechs := c.Extension("AUTH")
	if !ok {
		return permanent(errors.New("the server offers no AUTH; remove notify.smtp.username or fix the server"))
	}
	var a smtp.Auth
	switch fields := strings.Fields(strings.ToUpper(mechs)); {
	case contains(fields, "PLAIN"):
		a = plainAuth{user: m.Username, pass: m.Password}
	case contains(fields, "LOGIN"):
		a = &loginAuth{user: m.Username, pass: m.Password}
	default:
		return permanent(fmt.Errorf("the server offers AUTH %s; vigil speaks PLAIN and LOGIN only", mechs))
	}
	if err := c.Auth(a); err != nil {
		return classify("AUTH", err)
	}
	return nil
}

func (m *Mailer) tlsConfig() *tls.Config {
	if m.TLSConfig != nil {
		cfg := m.TLSConfig.Clone()
		if cfg.ServerName == "" {
			cfg.ServerName = m.Host
		}
		return cfg
	}
	return &tls.Config{ServerName: m.Host, MinVersion: tls.VersionTLS12}
}

// helloName is the name vigil greets the server with.
func helloName() string {
	if h, err := os.Hostname(); err == nil && h != "" && !strings.ContainsAny(h, " \r\n") {
		return h
	}
	return "localhost"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
