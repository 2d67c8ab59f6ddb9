package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/tui"
)

// ExecFunc runs a headless command (the words after the ssh destination)
// as an actor, with the session's streams; it returns the exit status.
type ExecFunc func(ctx context.Context, a asset.Actor, args []string, stdin io.Reader, stdout, stderr io.Writer) int

// Options configure a server.
type Options struct {
	Listen      string              // address, e.g. 127.0.0.1:2222
	HostKeyPEM  []byte              // ed25519 host key (see HostKey)
	Users       *Users              // who may log in
	Cycle       *cycle.Cycle        // the one cycle over the one store
	Src         func() cycle.Source // what a console-started scan reads
	Autofix     bool                // console-started scans apply autofix policies
	Keys        map[string][]string // console key rebinding
	Exec        ExecFunc            // headless commands
	IdleTimeout time.Duration       // close a connection idle this long (0: never)
	MaxSessions int                 // refuse sessions past this many (0: 64)
	Logger      *log.Logger         // the log file
}

// Server serves the console and headless commands over SSH.
type Server struct {
	o        Options
	srv      *ssh.Server
	sessions *registry
}

// New builds a server; Serve starts it.
func New(o Options) (*Server, error) {
	if o.MaxSessions <= 0 {
		o.MaxSessions = 64
	}
	if o.Logger == nil {
		o.Logger = log.New(io.Discard, "", 0)
	}
	s := &Server{o: o, sessions: newRegistry()}
	srv, err := wish.NewServer(
		wish.WithAddress(o.Listen),
		wish.WithHostKeyPEM(o.HostKeyPEM),
		wish.WithPublicKeyAuth(s.auth),
		// The console's own watch closes an idle console with a message
		// (idle.go); the connection's timeout, a little later, is the
		// backstop for a client that stopped answering.
		wish.WithIdleTimeout(connIdle(o.IdleTimeout)),
		wish.WithMiddleware(
			bm.MiddlewareWithProgramHandler(s.program, termenv.Ascii),
			s.gate,
		),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	s.srv = srv
	return s, nil
}

// actorKey is where auth leaves the actor in the connection's context.
// connIdle is the connection-level idle timeout for a console idle
// timeout d (0: none).
func connIdle(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return d + 30*time.Second
}

type actorKey struct{}

// auth lets in the keys of config.yaml's users, and nothing else: the
// client sees "Permission denied (publickey)".
func (s *Server) auth(ctx ssh.Context, pk ssh.PublicKey) bool {
	a, ok := s.o.Users.Lookup(pk)
	if !ok {
		s.o.Logger.Printf("ssh: refused key %s for %q from %s", gossFingerprint(pk), ctx.User(), ctx.RemoteAddr())
		return false
	}
	ctx.SetValue(actorKey{}, a)
	return true
}

// actorOf is the session's actor (set by auth).
func actorOf(sess ssh.Session) (asset.Actor, bool) {
	a, ok := sess.Context().Value(actorKey{}).(asset.Actor)
	return a, ok
}

// gate registers and logs every session, enforces max_sessions, runs a
// headless command when one was given, and otherwise hands the session to
// the console (the next handler, the bubbletea middleware).
func (s *Server) gate(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		a, ok := actorOf(sess)
		if !ok {
			wish.Fatalln(sess, "vigil: not authenticated")
			return
		}
		start := time.Now()
		kind := "console"
		if len(sess.Command()) > 0 {
			kind = "command " + asset.Clean(sess.RawCommand())
		}
		ss, err := s.sessions.add(a, sess.RemoteAddr().String(), kind, s.o.MaxSessions)
		if err != nil {
			s.o.Logger.Printf("ssh: %s (%s) from %s refused: %v", a.Name, a.Key, sess.RemoteAddr(), err)
			wish.Fatalln(sess, "vigil: "+err.Error())
			return
		}
		sess.Context().SetValue(sessionKey{}, ss)
		s.o.Logger.Printf("ssh: %s (%s, key %s) from %s: %s opened", a.Name, a.Role, a.Key, sess.RemoteAddr(), kind)
		defer func() {
			s.sessions.remove(ss.ID)
			s.o.Logger.Printf("ssh: %s (%s, key %s) from %s: %s closed after %s", a.Name, a.Role, a.Key,
				sess.RemoteAddr(), kind, time.Since(start).Round(time.Millisecond))
		}()
		if len(sess.Command()) > 0 {
			code := s.o.Exec(sess.Context(), a, sess.Command(), sess, sess, sess.Stderr())
			_ = sess.Exit(code)
			return
		}
		if _, _, ok := sess.Pty(); !ok {
			wish.Fatalln(sess, "vigil: the console needs a terminal (ssh -t), or name a command: ssh ... report --format json")
			return
		}
		next(sess)
		if why := s.sessions.shuttingDown(); why != "" {
			_, _ = fmt.Fprintf(sess, "\r\nvigil: %s\r\n", why)
		} else if d := ss.idleFor(); d > 0 {
			s.o.Logger.Printf("ssh: %s (%s) from %s: console closed after %s without input", a.Name, a.Key, sess.RemoteAddr(), d)
			_, _ = fmt.Fprintf(sess, "\r\nvigil: closed after %s without a key pressed (serve.idle_timeout); connect again to go on\r\n", d)
		}
	}
}

// sessionKey is where gate leaves the session's registry entry.
type sessionKey struct{}

// program builds a session's console: its own backend acting as the
// session's user, its own renderer from the client's terminal.
func (s *Server) program(sess ssh.Session) *tea.Program {
	a, _ := actorOf(sess)
	ss, _ := sess.Context().Value(sessionKey{}).(*Session)
	b := cycle.NewBackend(s.o.Cycle, s.o.Src, a, false)
	b.Opts.Autofix = s.o.Autofix
	m := tui.New(b, tui.Options{
		Renderer: bm.MakeRenderer(sess),
		Keys:     s.o.Keys,
		Logger:   s.o.Logger,
	})
	var last atomic.Int64
	last.Store(time.Now().UnixNano())
	if s.o.IdleTimeout > 0 {
		m = idleModel{Model: m, last: &last}
	}
	opts := append(bm.MakeOptions(sess), tea.WithAltScreen())
	p := tea.NewProgram(m, opts...)
	if ss != nil {
		ss.setProgram(p)
		if s.o.IdleTimeout > 0 {
			go watchIdle(ss, p, &last, s.o.IdleTimeout, sess.Context().Done())
		}
	}
	return p
}

// Serve listens and serves until Shutdown; it returns nil after a shutdown.
func (s *Server) Serve(ln net.Listener) error {
	err := s.srv.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Sessions lists the live sessions.
func (s *Server) Sessions() []SessionInfo { return s.sessions.list() }

// Shutdown tells every console why it closes, stops accepting connections
// and waits (up to ctx) for sessions to end; a running command or fix
// finishes first.
func (s *Server) Shutdown(ctx context.Context, why string) error {
	s.sessions.closeAll(why)
	return s.srv.Shutdown(ctx)
}

// Close drops every connection at once.
func (s *Server) Close() error { return s.srv.Close() }
