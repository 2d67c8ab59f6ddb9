package serve

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/internal/procstat"
)

// unitsSource hands a fixed inventory to the cycle unit by unit.
type unitsSource struct {
	units  []asset.UnitKey
	byUnit map[asset.UnitKey][]asset.Asset
}

func (s *unitsSource) Units() []asset.UnitKey { return s.units }

func (s *unitsSource) Run(_ context.Context, handle func(asset.Unit, []asset.Asset)) error {
	for _, u := range s.units {
		handle(asset.Unit{UnitKey: u, Status: asset.UnitComplete, Assets: len(s.byUnit[u])}, s.byUnit[u])
	}
	return nil
}

// testServer is a server on a loopback port over a store of demo assets.
type testServer struct {
	port int
	key  string // otto's private key file
	srv  *Server
	c    *cycle.Cycle
	src  *unitsSource // what the store was scanned from
}

// benchServer scans n demo assets into a fresh store and serves it on a
// loopback port to one operator, otto.
func benchServer(b testing.TB, n int) *testServer {
	b.Helper()
	for _, bin := range []string{"ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(bin); err != nil {
			b.Fatalf("%s is needed (apt-get install openssh-client): %v", bin, err)
		}
	}
	dir := b.TempDir()
	st, err := db.Open(filepath.Join(dir, "db"), db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() }) // the store open at the end
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	c, _, err := cycle.New(st, &config.Config{}, cycle.Deps{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	src := &unitsSource{byUnit: map[asset.UnitKey][]asset.Asset{}}
	for _, a := range demo.Assets(7, n, now) {
		u := asset.UnitKey{Account: a.Account, Region: a.Region, Type: a.Type}
		if _, ok := src.byUnit[u]; !ok {
			src.units = append(src.units, u)
		}
		src.byUnit[u] = append(src.byUnit[u], a)
	}
	if _, err := c.Run(context.Background(), src, cycle.RunOptions{Source: "bench", By: "bench"}, nil); err != nil {
		b.Fatal(err)
	}
	// The server starts on an existing store: close the one the scan
	// filled and open it again, so its memory is not the ingest's.
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	if st, err = db.Open(filepath.Join(dir, "db"), db.Options{}); err != nil {
		b.Fatal(err)
	}
	if c, _, err = cycle.New(st, &config.Config{}, cycle.Deps{Now: func() time.Time { return now }}); err != nil {
		b.Fatal(err)
	}
	key := filepath.Join(dir, "otto")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "otto", "-f", key).CombinedOutput(); err != nil {
		b.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		b.Fatal(err)
	}
	users, err := NewUsers("config.yaml", []config.ServeUser{{Name: "otto", Role: "operator",
		Keys: []config.ServeKey{{Text: strings.TrimSpace(string(pub)), Line: 1}}, Line: 1}})
	if err != nil {
		b.Fatal(err)
	}
	hk, err := HostKey(filepath.Join(dir, "host_ed25519"))
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{Listen: ln.Addr().String(), HostKeyPEM: hk, Users: users, Cycle: c})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := srv.Warm(); err != nil { // as vigil serve does before it says it listens
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = srv.Serve(ln); close(done) }()
	b.Cleanup(func() { _ = srv.Close(); <-done })
	return &testServer{port: ln.Addr().(*net.TCPAddr).Port, key: key, srv: srv, c: c, src: src}
}

// sshSession is one OpenSSH client on the console, its output watched.
type sshSession struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	mu    sync.Mutex
	out   bytes.Buffer
	wrote chan struct{} // a signal per output chunk
}

func openSession(b testing.TB, port int, key string) *sshSession {
	b.Helper()
	cmd := exec.Command("ssh", "-tt", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-i", key, "-p", fmt.Sprint(port), "otto@127.0.0.1")
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	// ssh runs on a terminal of 120x40 as it would for a person: the pty
	// size reaches the server with the session.
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		b.Fatal(err)
	}
	in, out := io.WriteCloser(tty), io.Reader(tty)
	s := &sshSession{cmd: cmd, in: in, wrote: make(chan struct{}, 1024)}
	go func() {
		buf := make([]byte, 64<<10)
		answered := false
		for {
			n, err := out.Read(buf)
			if n > 0 {
				s.mu.Lock()
				s.out.Write(buf[:n])
				// Answer the renderer's background (OSC 11) and device
				// attribute queries as a dark terminal does.
				if !answered && strings.Contains(s.out.String(), "\x1b[c") {
					answered = true
					_, _ = io.WriteString(in, "\x1b]11;rgb:0000/0000/0000\x07\x1b[?62;c")
				}
				s.mu.Unlock()
				select {
				case s.wrote <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	b.Cleanup(func() { in.Close(); _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return s
}

// waitFor waits until the session's output holds want.
func (s *sshSession) waitFor(b testing.TB, want string, within time.Duration) time.Duration {
	b.Helper()
	start := time.Now()
	for time.Since(start) < within {
		s.mu.Lock()
		ok := strings.Contains(s.out.String(), want)
		s.mu.Unlock()
		if ok {
			return time.Since(start)
		}
		select {
		case <-s.wrote:
		case <-time.After(50 * time.Millisecond):
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b.Fatalf("the session never showed %q within %s; output so far:\n%q", want, within, s.out.String())
	return 0
}

// keyToFrame sends one key and returns the time until the next output.
func (s *sshSession) keyToFrame(b testing.TB, key string) time.Duration {
	b.Helper()
	for len(s.wrote) > 0 {
		<-s.wrote
	}
	start := time.Now()
	if _, err := io.WriteString(s.in, key); err != nil {
		b.Fatal(err)
	}
	select {
	case <-s.wrote:
		return time.Since(start)
	case <-time.After(5 * time.Second):
		b.Fatalf("no frame within 5 s of key %q", key)
	}
	return 0
}

func rssMiB() float64 {
	runtime.GC()
	debug.FreeOSMemory()
	time.Sleep(200 * time.Millisecond)
	return procstat.MiB("VmRSS")
}

// rssParts are the resident set's anonymous and file-backed parts (MiB).
func rssParts() (anon, file float64) { return procstat.MiB("RssAnon"), procstat.MiB("RssFile") }

// BenchmarkSessions100k serves a 100k-asset store to 20 OpenSSH clients on
// the dashboard and reports the server's resident memory with one session
// and with twenty (the test process is the server), the first frame after
// connect, and keypress-to-frame latency over loopback with all twenty
// open (help toggled on and off, each key a redraw).
func BenchmarkSessions100k(b *testing.B) { benchSessions(b, 100_000, 20) }

// BenchmarkSessions1M is the same over a 1M-asset store with ten sessions.
func BenchmarkSessions1M(b *testing.B) { benchSessions(b, 1_000_000, 10) }

func benchSessions(b *testing.B, n, sessions int) {
	ts := benchServer(b, n)
	ts.src = nil // only the store holds the assets now
	port, key := ts.port, ts.key
	base := rssMiB()
	var firsts []time.Duration
	var one float64
	ss := make([]*sshSession, 0, sessions)
	for i := 0; i < sessions; i++ {
		s := openSession(b, port, key)
		firsts = append(firsts, s.waitFor(b, "%", 2*time.Minute))
		ss = append(ss, s)
		if i == 0 {
			time.Sleep(time.Second) // let the first session's loads finish
			one = rssMiB()
		}
	}
	time.Sleep(2 * time.Second)
	all := rssMiB()
	anon, file := rssParts()
	first := firsts[0]
	sort.Slice(firsts, func(i, j int) bool { return firsts[i] < firsts[j] })
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := 0; k < 100; k++ {
			s := ss[(i*100+k)%len(ss)]
			lat = append(lat, s.keyToFrame(b, "?"))
			time.Sleep(20 * time.Millisecond)
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	// ResetTimer drops metrics reported before it: all are reported here.
	b.ReportMetric(ms(lat[len(lat)/2]), "ms-key-p50")
	b.ReportMetric(ms(lat[len(lat)*99/100]), "ms-key-p99")
	b.ReportMetric(base, "MiB-rss-no-session")
	b.ReportMetric(one, "MiB-rss-1-session")
	b.ReportMetric(all, fmt.Sprintf("MiB-rss-%d-sessions", sessions))
	b.ReportMetric(anon, "MiB-anon-all-sessions")
	b.ReportMetric(file, "MiB-file-all-sessions")
	b.ReportMetric(float64(first.Milliseconds()), "ms-first-frame-1st")
	b.ReportMetric(float64(firsts[len(firsts)-1].Milliseconds()), "ms-first-frame-max")
}
