package main

import (
	"fmt"
	"io"
	"log"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/serve"
)

// env is what every subcommand is built from: streams, clock, paths and
// lazily opened parts. Tests swap its fields (cli/cli's factory pattern).
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time
	isTTY  func(f any) bool

	// as, when set, is who the commands act as (an SSH user, or the local
	// user of a command forwarded to the store's owner); else the local
	// OS user, an admin on the command line.
	as *asset.Actor
	// owner, when set, is the cycle of the process that holds the store:
	// commands run inside it use it rather than opening the store.
	owner *cycle.Cycle
	// sessions, inside `vigil serve`, lists its live sessions.
	sessions func() []serve.SessionInfo

	// args are the command line's words after the program name, for
	// forwarding the command to the store's owner.
	args []string

	// flags shared by every command
	dbDir    string
	readOnly bool
	policies []string
}

func defaultEnv() *env {
	return &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, now: time.Now, isTTY: isTerminal}
}

// paths resolves where things live for this invocation.
func (e *env) paths() config.Paths { return config.DefaultPaths(e.dbDir) }

// config reads config.yaml.
func (e *env) config() (*config.Config, error) { return config.Load(e.paths().Config) }

// actor is who this invocation acts as.
func (e *env) actor() asset.Actor {
	if e.as != nil {
		return *e.as
	}
	return asset.Actor{Name: who(), Role: asset.RoleAdmin, Via: asset.ViaCLI}
}

// openStore opens the store at the resolved path; inside the store's owner
// it is the owner's store, which the command's Close leaves open.
func (e *env) openStore(dir string) (*db.Store, error) {
	if e.owner != nil {
		return e.owner.Store.Shared(), nil
	}
	st, err := db.Open(dir, db.Options{ReadOnly: e.readOnly})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return st, nil
}

// logger opens the log file; vigil never logs to the terminal it draws on.
func (e *env) logger() (*log.Logger, func()) {
	p := e.paths().Log
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return log.New(io.Discard, "", 0), func() {}
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return log.New(io.Discard, "", 0), func() {}
	}
	return log.New(f, "", log.LstdFlags|log.LUTC), func() { f.Close() }
}

// who is the local user fixes and exceptions are audited as.
func who() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if v := os.Getenv("USER"); v != "" {
		return v
	}
	return "unknown"
}

// openStoreRO opens the store for a command that only reads. It still opens
// writable unless --read-only was given, so a store left by a crash is
// recovered first.
func (e *env) openStoreRO() (*db.Store, error) { return e.openStore(e.paths().DB) }

// policyDirs are the user policy directories: the config dir and --policies.
func (e *env) policyDirs() []string {
	return append([]string{e.paths().Policies}, e.policies...)
}
