// Package testmoto starts a private moto_server for tests: a real AWS API
// emulator on a free loopback port, stopped when the test ends. A test that
// needs it fails loudly when moto_server is missing; it never skips.
package testmoto

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Server is a running moto_server.
type Server struct {
	URL string // http://127.0.0.1:PORT
	cmd *exec.Cmd
}

// Start launches moto_server on a free port and registers its shutdown with
// t.Cleanup. EC2's default AMIs (and their snapshots) are not loaded.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		t.Fatalf("moto_server not found on PATH: install it with `pip install 'moto[server]==5.2.1'` (%v)", err)
	}
	port := freePort(t)
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Env = append(os.Environ(), "MOTO_EC2_LOAD_DEFAULT_AMIS=false")
	logPath := filepath.Join(t.TempDir(), "moto.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatalf("moto log: %v", err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("start moto_server: %v", err)
	}
	s := &Server{URL: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
		logf.Close()
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.URL + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logPath)
			t.Fatalf("moto_server did not answer on %s within 30s: %v\n%s", s.URL, err, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return s
}

// PID returns the process ID of the moto_server process.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// clockTicks is the kernel's USER_HZ, the unit of /proc/PID/stat times
// (100 on every Linux architecture Go supports).
const clockTicks = 100

// CPUTime returns the CPU time (user + system) moto has used so far, read
// from /proc/PID/stat: the emulator's own work, which no client can beat.
func (s *Server) CPUTime() (time.Duration, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.PID()))
	if err != nil {
		return 0, fmt.Errorf("read moto's CPU time (Linux /proc only): %w", err)
	}
	// The command name (field 2) may hold spaces; fields count from after it.
	text := string(raw)
	fields := strings.Fields(text[strings.LastIndexByte(text, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("read moto's CPU time: /proc/%d/stat has %d fields after the name", s.PID(), len(fields))
	}
	var ticks int64
	for _, f := range fields[11:13] { // utime, stime (fields 14 and 15)
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("read moto's CPU time: %w", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// Reset wipes every resource in the emulator.
func (s *Server) Reset(t testing.TB) {
	t.Helper()
	resp, err := http.Post(s.URL+"/moto-api/reset", "application/json", strings.NewReader(""))
	if err != nil {
		t.Fatalf("moto reset: %v", err)
	}
	resp.Body.Close()
}

// Env returns the environment variables that point the AWS SDK (and awscli)
// at this server with static test credentials.
func (s *Server) Env() map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL":            s.URL,
		"AWS_ACCESS_KEY_ID":           "testing",
		"AWS_SECRET_ACCESS_KEY":       "testing",
		"AWS_SESSION_TOKEN":           "",
		"AWS_DEFAULT_REGION":          "us-east-1",
		"AWS_REGION":                  "us-east-1",
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_EC2_METADATA_DISABLED":   "true",
	}
}

// Setenv applies Env to the test process with t.Setenv (so the test must not
// be parallel).
func (s *Server) Setenv(t testing.TB) {
	t.Helper()
	for k, v := range s.Env() {
		t.Setenv(k, v)
	}
	// An empty AWS_PROFILE makes the CLI look for a profile named "";
	// unset it for the test and restore it after.
	if old, ok := os.LookupEnv("AWS_PROFILE"); ok {
		os.Unsetenv("AWS_PROFILE")
		t.Cleanup(func() { os.Setenv("AWS_PROFILE", old) })
	}
}

// AWS runs the awscli against this server (for seeding fixtures and checking
// results the way an operator would) and returns its stdout.
func (s *Server) AWS(t testing.TB, args ...string) string {
	t.Helper()
	cmd := exec.Command("aws", append([]string{"--endpoint-url", s.URL, "--output", "json"}, args...)...)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_PROFILE=") {
			env = append(env, kv)
		}
	}
	for k, v := range s.Env() {
		env = append(env, k+"="+v)
	}
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	return string(out)
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
