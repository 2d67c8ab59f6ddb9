package notify

import (
	"errors"
	"net/smtp"
)

// plainAuth is SASL PLAIN (RFC 4616). Unlike net/smtp's PlainAuth it has no
// localhost exception: Mailer.auth has already required TLS.
type plainAuth struct{ user, pass string }

// Start sends the credentials with the AUTH command.
func (a plainAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

// Next accepts no further challenge.
func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected server challenge during AUTH PLAIN")
	}
	return nil, nil
}

// loginAuth is the LOGIN mechanism many servers still offer: the server
// asks for the user name, then the password.
type loginAuth struct {
	user, pass string
	step       int
}

// Start begins AUTH LOGIN; the server then asks for each credential.
func (a *loginAuth) Start(*smtp.ServerInfo) (string, []byte, error) { return "LOGIN", nil, nil }

// Next answers the user-name, then the password challenge.
func (a *loginAuth) Next(_ []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	a.step++
	switch a.step {
	case 1:
		return []byte(a.user), nil
	case 2:
		return []byte(a.pass), nil
	}
	return nil, errors.New("unexpected server challenge during AUTH LOGIN")
}
