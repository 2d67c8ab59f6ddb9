package serve

import (
	"context"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
)

// goroutinesBack waits until the process runs at most n goroutines and
// returns the last count (with a dump when it never got there).
func goroutinesBack(n int, within time.Duration) (int, string) {
	deadline := time.Now().Add(within)
	for {
		got := runtime.NumGoroutine()
		if got <= n || time.Now().After(deadline) {
			if got <= n {
				return got, ""
			}
			buf := make([]byte, 1<<20)
			return got, string(buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// An OpenSSH client killed in the middle of a console session leaks
// nothing: the session leaves the list and the server's goroutines come
// back to what they were before it connected.
func TestSessionKilledMidwayLeaksNothing(t *testing.T) {
	ts := benchServer(t, 2000)
	session := func() *sshSession {
		s := openSession(t, ts.port, ts.key)
		s.waitFor(t, "%", time.Minute)
		s.keyToFrame(t, "?")
		if n := len(ts.srv.Sessions()); n != 1 {
			t.Fatalf("%d live sessions while one console is open", n)
		}
		return s
	}
	gone := func() {
		deadline := time.Now().Add(20 * time.Second)
		for len(ts.srv.Sessions()) > 0 && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if n := len(ts.srv.Sessions()); n != 0 {
			t.Fatalf("%d sessions still listed after the client went", n)
		}
	}
	// A first console, quit with q, starts what lives once per process
	// (the signal loop of os/signal): the baseline is taken after it.
	s := session()
	s.keyToFrame(t, "?") // help off again
	if _, err := io.WriteString(s.in, "q"); err != nil {
		t.Fatal(err)
	}
	gone()
	time.Sleep(500 * time.Millisecond)
	before := runtime.NumGoroutine()
	for i := 0; i < 3; i++ {
		s := session()
		if err := s.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_ = s.cmd.Wait()
		gone()
	}
	if got, dump := goroutinesBack(before, 20*time.Second); dump != "" {
		t.Errorf("%d goroutines after three killed sessions, %d before them:\n%s", got, before, dump)
	}
}

// Two consoles browse while a scan runs in the background, under -race:
// both keep answering keys, and both show the scan's result without a key
// pressed (the live refresh).
func TestTwoSessionsAndABackgroundScan(t *testing.T) {
	ts := benchServer(t, 2000)
	a, b := openSession(t, ts.port, ts.key), openSession(t, ts.port, ts.key)
	a.waitFor(t, "%", time.Minute)
	b.waitFor(t, "%", time.Minute)
	var wg sync.WaitGroup
	var scanErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		slow := &slowSource{unitsSource: ts.src, each: 3 * time.Second / time.Duration(len(ts.src.units))}
		_, scanErr = ts.c.Run(context.Background(), slow, cycle.RunOptions{Source: "test", By: "schedule"}, nil)
	}()
	for i := 0; i < 10; i++ {
		a.keyToFrame(t, "?")
		b.keyToFrame(t, "?")
	}
	// Neither session started the scan; both show its progress and who
	// runs it.
	a.waitFor(t, "(schedule)", 10*time.Second)
	b.waitFor(t, "(schedule)", 10*time.Second)
	wg.Wait()
	if scanErr != nil {
		t.Fatal(scanErr)
	}
	// Both consoles redraw on their own after the scan moved the store
	// (the dashboard's "scanned" line changes).
	time.Sleep(time.Second) // the consoles settle after the first scan
	for _, s := range []*sshSession{a, b} {
		s.mu.Lock()
		s.out.Reset()
		for len(s.wrote) > 0 {
			<-s.wrote
		}
		s.mu.Unlock()
	}
	// The second scan finds the first units empty: assets go, numbers move.
	gone := &unitsSource{units: ts.src.units, byUnit: map[asset.UnitKey][]asset.Asset{}}
	for i, u := range ts.src.units {
		if i >= len(ts.src.units)/2 {
			gone.byUnit[u] = ts.src.byUnit[u]
		}
	}
	gen := ts.c.Generation()
	if _, err := ts.c.Run(context.Background(), gone, cycle.RunOptions{Source: "test", By: "schedule"}, nil); err != nil {
		t.Fatal(err)
	}
	if ts.c.Generation() == gen {
		t.Fatal("a scan left the change count where it was")
	}
	for name, s := range map[string]*sshSession{"a": a, "b": b} {
		select {
		case <-s.wrote:
		case <-time.After(5 * time.Second):
			t.Errorf("session %s drew nothing within 5 s of the scan", name)
		}
		s.mu.Lock()
		out := s.out.String()
		s.mu.Unlock()
		if strings.Contains(out, "panic") {
			t.Errorf("session %s: %s", name, out)
		}
	}
}

// slowSource hands out its units at a pace, as a scan over the network
// does.
type slowSource struct {
	*unitsSource
	each time.Duration
}

func (s *slowSource) Run(ctx context.Context, handle func(asset.Unit, []asset.Asset)) error {
	return s.unitsSource.Run(ctx, func(u asset.Unit, as []asset.Asset) {
		time.Sleep(s.each)
		handle(u, as)
	})
}
