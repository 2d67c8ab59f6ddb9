package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/serve"
)

// The process that holds a store (a console or `vigil serve`) listens on a
// unix socket beside it, so a second command of the same OS user runs
// inside that process instead of being refused the locked store.
//
// Protocol: the client writes one JSON line {"args": [...]}; the owner
// answers with frames of one kind byte ('o' stdout, 'e' stderr, 'x' exit
// status as decimal text), a 4-byte big-endian length and the payload.

// ownerSocket is the socket beside the store directory dir.
func ownerSocket(dir string) string { return filepath.Clean(dir) + ".sock" }

// localCommands are the commands a second local process may run through
// the owner: the SSH set and import (the same OS user may read the files it
// names).
func localCommands() map[string]bool {
	m := sshCommands()
	m["import"] = true
	return m
}

type sockRequest struct {
	Args []string `json:"args"`
}

// listenOwner serves the store's socket until ctx ends or stop is called.
// A stale socket (its owner died) is replaced: this process holds the
// store's lock, so no other owner can be listening.
func listenOwner(ctx context.Context, parent *env, c *cycle.Cycle, srv *serve.Server, logf func(string, ...any)) (stop func(), err error) {
	path := ownerSocket(parent.paths().DB)
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSocket != 0 {
		_ = os.Remove(path)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen on %s for local commands: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("chmod %s: %w", path, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				serveLocal(ctx, parent, c, srv, conn.(*net.UnixConn), logf)
			}()
		}
	}()
	return func() {
		cancel()
		ln.Close() // also removes the socket file
		wg.Wait()
	}, nil
}

// serveLocal runs one forwarded command for a peer of this OS user.
func serveLocal(ctx context.Context, parent *env, c *cycle.Cycle, srv *serve.Server, conn *net.UnixConn, logf func(string, ...any)) {
	uid, err := peerUID(conn)
	if err != nil || uid != os.Getuid() {
		logf("socket: refused a peer (uid %d, %v): only the store's own OS user may use it", uid, err)
		return
	}
	var req sockRequest
	line, err := bufio.NewReader(io.LimitReader(conn, 1<<20)).ReadBytes('\n')
	if err != nil || json.Unmarshal(line, &req) != nil {
		logf("socket: bad request: %v", err)
		return
	}
	name := strconv.Itoa(uid)
	if u, err := user.LookupId(name); err == nil && u.Username != "" {
		name = u.Username
	}
	a := asset.Actor{Name: name, Role: asset.RoleAdmin, Via: asset.ViaSocket}
	fw := &frameWriter{w: conn}
	start := time.Now()
	code := runForwarded(ctx, parent, c, a, req.Args, localCommands(), nil, fw.stream('o'), fw.stream('e'), srv)
	fw.frame('x', []byte(strconv.Itoa(code)))
	logf("socket: %s ran %q: exit %d in %s", name, req.Args, code, time.Since(start).Round(time.Millisecond))
}

// peerUID is the OS user of the process at the other end of conn.
func peerUID(conn *net.UnixConn) (int, error) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return -1, err
	}
	var cred *syscall.Ucred
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return -1, err
	}
	if credErr != nil {
		return -1, credErr
	}
	return int(cred.Uid), nil
}

// frameWriter multiplexes stdout, stderr and the exit status on one conn.
type frameWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (f *frameWriter) frame(kind byte, p []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	var hdr [5]byte
	hdr[0] = kind
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(p)))
	if _, err := f.w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := f.w.Write(p)
	return err
}

type streamWriter struct {
	f    *frameWriter
	kind byte
}

func (s streamWriter) Write(p []byte) (int, error) {
	if err := s.f.frame(s.kind, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (f *frameWriter) stream(kind byte) io.Writer { return streamWriter{f: f, kind: kind} }

// errNoOwner says no process answers on the store's socket.
var errNoOwner = errors.New("no vigil answers on the store's socket")

// forwardToOwner runs args in the process holding the store at dir, copying
// its output to stdout and stderr, and returns its exit status. It refuses
// a socket that is not a socket or belongs to another OS user.
func forwardToOwner(dir string, args []string, stdout, stderr io.Writer) (int, error) {
	path := ownerSocket(dir)
	fi, err := os.Lstat(path)
	if err != nil {
		return 0, errNoOwner
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if fi.Mode()&os.ModeSocket == 0 || !ok || int(st.Uid) != os.Getuid() {
		return 0, fmt.Errorf("%s is not a socket of this OS user; not forwarding to it", path)
	}
	conn, err := net.DialTimeout("unix", path, 2*time.Second)
	if err != nil {
		return 0, errNoOwner
	}
	defer conn.Close()
	req, err := json.Marshal(sockRequest{Args: args})
	if err != nil {
		return 0, err
	}
	if _, err := conn.Write(append(req, '\n')); err != nil {
		return 0, fmt.Errorf("send the command to the store's owner: %w", err)
	}
	r := bufio.NewReader(conn)
	for {
		var hdr [5]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return 0, fmt.Errorf("the store's owner closed the connection before the command ended: %w", err)
		}
		n := binary.BigEndian.Uint32(hdr[1:])
		if n > 64<<20 {
			return 0, fmt.Errorf("the store's owner sent a %d-byte frame", n)
		}
		p := make([]byte, n)
		if _, err := io.ReadFull(r, p); err != nil {
			return 0, fmt.Errorf("read from the store's owner: %w", err)
		}
		switch hdr[0] {
		case 'o':
			_, _ = stdout.Write(p)
		case 'e':
			_, _ = stderr.Write(p)
		case 'x':
			code, err := strconv.Atoi(string(p))
			if err != nil {
				return 0, fmt.Errorf("the store's owner sent exit status %q", p)
			}
			return code, nil
		}
	}
}

// absPaths makes the arguments after the command word cmd that name an
// existing file or directory absolute, so the owner, whose working
// directory differs, finds them.
func absPaths(args []string, cmd string) []string {
	out := make([]string, len(args))
	seen := false
	for i, a := range args {
		out[i] = a
		if !seen {
			seen = a == cmd
			continue
		}
		if a == "" || a[0] == '-' || filepath.IsAbs(a) {
			continue
		}
		if _, err := os.Stat(a); err == nil {
			if abs, err := filepath.Abs(a); err == nil {
				out[i] = abs
			}
		}
	}
	return out
}
