package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/scanner"
	"github.com/vigil-sec/vigil/serve"
)

// defaultListen is where `vigil serve` listens when neither --listen nor
// serve.listen says.
const defaultListen = "127.0.0.1:2222"

// sshCommands are the commands an SSH user may run headless.
func sshCommands() map[string]bool {
	return map[string]bool{"report": true, "violations": true, "assets": true, "asset": true, "fix": true,
		"fixes": true, "exceptions": true, "groups": true, "scans": true, "policies": true, "sessions": true,
		"search": true, "diff": true}
}

func newServeCmd(e *env) *cobra.Command {
	var listen, hostKey string
	var isDemo bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the console and headless commands over SSH to the users of config.yaml",
		Long: "vigil serve owns the store and serves the console (ssh -t) and headless commands\n" +
			"(ssh HOST report --format json) to the users of config.yaml's serve section, each with\n" +
			"a role (viewer, operator, admin) and optionally confined to groups. Public keys only.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			return runServe(ctx, e, listen, hostKey, isDemo)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "", "address to listen on (default serve.listen, else "+defaultListen+")")
	cmd.Flags().StringVar(&hostKey, "host-key", "", "ed25519 host key (default $XDG_DATA_HOME/vigil/ssh/host_ed25519, generated)")
	cmd.Flags().BoolVar(&isDemo, "demo", false, "serve the demo store (fixes act on the simulated world)")
	return cmd
}

func runServe(ctx context.Context, e *env, listen, hostKey string, isDemo bool) error {
	cfg, err := e.config()
	if err != nil {
		return err
	}
	users, err := serve.NewUsers(e.paths().Config, cfg.Serve.Users)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if users.Len() == 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("%s: no serve.users: add users with public keys (see README)", e.paths().Config)}
	}
	if listen == "" {
		listen = cfg.Serve.Listen
	}
	if listen == "" {
		listen = defaultListen
	}
	if hostKey == "" {
		hostKey = filepath.Join(filepath.Dir(e.paths().DemoDB), "ssh", "host_ed25519")
	}
	pemKey, err := serve.HostKey(hostKey)
	if err != nil {
		return err
	}
	logger, closeLog := e.logger()
	defer closeLog()
	var c *cycle.Cycle
	var src func() cycle.Source
	if isDemo {
		fmt.Fprintln(e.stderr, "preparing the demo store (first start builds 90 days of history)...")
		if c, err = cycle.OpenDemo(ctx, e.paths().DemoDB, false, cycle.Deps{Now: e.now, Log: logger}); err != nil {
			return err
		}
		src = cycle.DemoWorld(c, e.now, 60*time.Millisecond)
	} else {
		st, err := e.openStore(e.paths().DB)
		if err != nil {
			return err
		}
		deps := cycle.Deps{Now: e.now, Log: logger, PolicyDirs: e.policyDirs()}
		if awsCfg, awsErr := scanner.LoadAWSConfig(ctx, ""); awsErr == nil && !e.readOnly {
			deps.Fixer = &cycle.Fixer{Registry: fix.Default(), Collector: scanner.Default(),
				Endpoint: scanner.EndpointFromEnv(), Base: awsCfg, Accounts: cfg.Accounts}
		}
		var loadErrs []error
		if c, loadErrs, err = cycle.New(st, cfg, deps); err != nil {
			st.Close()
			return err
		}
		for _, le := range loadErrs {
			logger.Printf("policy: %v", le)
		}
		src = func() cycle.Source { return &lazyAWSSource{ctx: ctx, cfg: cfg, e: e} }
	}
	defer func() {
		if err := c.Store.Close(); err != nil {
			fmt.Fprintln(e.stderr, "vigil:", err)
		}
	}()
	var srv *serve.Server
	exec := func(ctx context.Context, a asset.Actor, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		return runForwarded(ctx, e, c, a, args, sshCommands(), stdin, stdout, stderr, srv)
	}
	srv, err = serve.New(serve.Options{Listen: listen, HostKeyPEM: pemKey, Users: users, Cycle: c, Src: src,
		Autofix: cfg.Schedule.Autofix, Keys: cfg.Keys, Exec: exec, IdleTimeout: cfg.Serve.IdleTimeout,
		MaxSessions: cfg.Serve.MaxSessions, Logger: logger})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (another vigil serve? pick one with --listen)", listen, err)
	}
	if !isDemo {
		stop, err := listenOwner(ctx, e, c, srv, logger.Printf)
		if err != nil {
			ln.Close()
			return err
		}
		defer stop()
	}
	if d, err := srv.Warm(); err != nil {
		logger.Printf("serve: %v", err) // the first session loads them instead
	} else {
		logger.Printf("serve: dashboard and summaries loaded in %s", d.Round(time.Millisecond))
	}
	fmt.Fprintf(e.stderr, "vigil serve: listening on %s (%d keys); ssh -p PORT USER@HOST\n", ln.Addr(), users.Len())
	logger.Printf("serve: listening on %s", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	go runSchedule(ctx, c, src, cfg.Schedule.Interval, cfg.Schedule.Autofix, logger.Printf)
	defer startNotify(ctx, e, c, logger)()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(e.stderr, "vigil serve: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx, "the server is shutting down"); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		logger.Printf("serve: shutdown: %v", err)
	}
	_ = srv.Close()
	<-done
	return nil
}

// runSchedule runs the cycle every interval while the server is up, as the
// schedule actor (0: off).
func runSchedule(ctx context.Context, c *cycle.Cycle, src func() cycle.Source, every time.Duration, autofix bool, logf func(string, ...any)) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := c.Run(ctx, src(), cycle.RunOptions{Source: "schedule", Actor: cycle.ScheduleActor(), Autofix: autofix}, nil); err != nil {
				logf("schedule: %v", err)
			}
		}
	}
}

// runForwarded runs a headless command inside the process that owns the
// store, as actor a, with the caller's streams; it returns the exit status.
// Only the allowed top-level commands run.
func runForwarded(ctx context.Context, parent *env, c *cycle.Cycle, a asset.Actor, args []string, allowed map[string]bool,
	stdin io.Reader, stdout, stderr io.Writer, srv *serve.Server) int {
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, now: parent.now,
		isTTY: func(any) bool { return false }, as: &a, owner: c, dbDir: parent.dbDir}
	if srv != nil {
		e.sessions = srv.Sessions
	}
	root := newRootCmd(e)
	if name := topCommand(root, args); !allowed[name] {
		fmt.Fprintf(stderr, "vigil: %q is not available here; try %s\n", name, strings.Join(sortedKeys(allowed), ", "))
		return exitUsage
	}
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "vigil:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "vigil:", err)
	return exitFailed
}

// topCommand is the name of the top-level command args run ("" for the
// root itself), flags before it skipped.
func topCommand(root *cobra.Command, args []string) string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd == nil || cmd == root {
		return ""
	}
	for cmd.Parent() != root && cmd.Parent() != nil {
		cmd = cmd.Parent()
	}
	return cmd.Name()
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
