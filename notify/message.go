package notify

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Compose writes the digest as a multipart/alternative message (text/plain
// then text/html, both quoted-printable UTF-8) with the given Message-ID.
func Compose(d *Digest, from string, to []string, messageID string) ([]byte, error) {
	fromAddr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("notify.smtp.from %q: %w", from, err)
	}
	rcpts, err := Recipients(to)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	hdr := []string{
		"From: " + fromAddr.String(),
		"To: " + strings.Join(rcpts, ", "),
		"Subject: " + mime.QEncoding.Encode("utf-8", d.Subject()),
		"Date: " + d.At.Format(time.RFC1123Z),
		"Message-ID: " + messageID,
		"MIME-Version: 1.0",
		"Auto-Submitted: auto-generated", // RFC 3834: no auto-replies
		"X-Vigil-Group: " + mime.QEncoding.Encode("utf-8", headerSafe(d.Rule.Group)),
		`Content-Type: multipart/alternative; boundary="` + mw.Boundary() + `"`,
	}
	var msg bytes.Buffer
	for _, h := range hdr {
		msg.WriteString(h + "\r\n")
	}
	msg.WriteString("\r\n")
	for _, part := range []struct {
		typ   string
		write func(*bytes.Buffer) error
	}{
		{"text/plain; charset=utf-8", func(b *bytes.Buffer) error { return d.Text(b) }},
		{"text/html; charset=utf-8", func(b *bytes.Buffer) error { return d.HTML(b) }},
	} {
		var body bytes.Buffer
		if err := part.write(&body); err != nil {
			return nil, fmt.Errorf("render digest: %w", err)
		}
		pw, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(pw)
		if _, err := qp.Write(crlf(body.Bytes())); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	msg.Write(buf.Bytes())
	return msg.Bytes(), nil
}

// Recipients checks and formats addresses for the To header; an address
// that does not parse is refused rather than written into a header.
func Recipients(to []string) ([]string, error) {
	if len(to) == 0 {
		return nil, fmt.Errorf("the digest has no recipient; set to: or to_owners: in notify.digests, or pass --to")
	}
	out := make([]string, len(to))
	for i, a := range to {
		p, err := mail.ParseAddress(a)
		if err != nil {
			return nil, fmt.Errorf("recipient %q: %w", a, err)
		}
		out[i] = p.String()
	}
	return out, nil
}

// NewMessageID is a fresh outbox ID (time-ordered, random tail) and the
// Message-ID header built from it and the sender's domain.
func NewMessageID(now time.Time, from string) (id, header string) {
	var r [6]byte
	_, _ = rand.Read(r[:])
	id = now.UTC().Format("20060102T150405.000000000Z") + "-" + hex.EncodeToString(r[:])
	domain := "vigil.invalid"
	if a, err := mail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok {
			domain = d
		}
	}
	return id, "<" + id + "@" + domain + ">"
}

// headerSafe drops CR, LF and other control characters.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// crlf turns bare LF line ends into CRLF, as SMTP wants.
func crlf(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
}
