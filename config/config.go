// Package config reads vigil's configuration file and resolves the places
// vigil keeps its store, policies and log (XDG base directories).
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/vigil-sec/vigil/groups"
)

// Config is the parsed config.yaml. Every field is optional.
type Config struct {
	Regions      []string                `yaml:"regions"`
	Concurrency  int                     `yaml:"concurrency"`
	Accounts     []Account               `yaml:"accounts"`
	Schedule     Schedule                `yaml:"schedule"`
	Groups       []groups.Group          `yaml:"groups"`
	RequiredTags []string                `yaml:"required_tags"`
	Policies     map[string]PolicyConfig `yaml:"policies"`
	Autofix      Autofix                 `yaml:"autofix"`
	Weights      map[string]int          `yaml:"weights"`
	SMTP         SMTP                    `yaml:"smtp"`
	SSH          SSH                     `yaml:"ssh"`
	Serve        Serve                   `yaml:"serve"` // `vigil serve`: listen address, users and roles
	Keys         map[string][]string     `yaml:"keys"`  // console action -> keys, rebinding the defaults
	Mouse        bool                    `yaml:"mouse"` // console: wheel scrolls lists, click selects (off: the terminal selects text)
	Theme        string                  `yaml:"theme"` // console palette: auto (default: COLORFGBG, else ask the terminal), dark or light
	Scan         ScanSettings            `yaml:"scan"`
	Notify       Notify                  `yaml:"notify"`    // e-mail digests and webhooks (notify.go)
	Retention    Retention               `yaml:"retention"` // asset history: replaced documents kept
}

// ScanSettings tune how a scan talks to AWS.
type ScanSettings struct {
	// MaxInFlight is how many AWS requests a scan has in flight at once,
	// all units together (0: 64). --max-inflight overrides it.
	MaxInFlight int `yaml:"max_inflight"`
}

// Account is an extra account reached by assuming a role from the default
// credentials.
type Account struct {
	Name        string `yaml:"name"`
	RoleARN     string `yaml:"role_arn"`
	ExternalID  string `yaml:"external_id"`
	SessionName string `yaml:"session_name"`
}

// Schedule runs the cycle periodically while the console or server is up.
type Schedule struct {
	Interval time.Duration `yaml:"interval"` // 0: off
	Autofix  bool          `yaml:"autofix"`
}

// PolicyConfig overrides a policy per installation.
type PolicyConfig struct {
	Params   map[string]any `yaml:"params"`
	Disabled bool           `yaml:"disabled"`
	Autofix  *bool          `yaml:"autofix"`
}

// Autofix limits unattended fixes.
type Autofix struct {
	Accounts    []string `yaml:"accounts"`      // allow-list; empty: no unattended fixes
	MaxPerCycle int      `yaml:"max_per_cycle"` // default 10
}

// SMTP sends notification e-mail.
type SMTP struct {
	Host string   `yaml:"host"`
	Port int      `yaml:"port"`
	From string   `yaml:"from"`
	To   []string `yaml:"to"`
}

// SSH configures `vigil serve`.
type SSH struct {
	Listen string    `yaml:"listen"`
	Users  []SSHUser `yaml:"users"`
}

// SSHUser is an operator allowed in over SSH.
type SSHUser struct {
	Name      string   `yaml:"name"`
	Role      string   `yaml:"role"` // "admin" | "operator" | "viewer" (read-only)
	PublicKey []string `yaml:"public_keys"`
}

// Load reads a config file, strictly: a key no setting takes is an error
// with file, line and the closest known key, so a misspelt setting is never
// silently ignored. A missing file is an empty config.
func Load(path string) (*Config, error) {
	c := &Config{}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return parse(path, b)
}

// parse decodes config text; file names it in errors.
func parse(file string, b []byte) (*Config, error) {
	c := &Config{}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("config %s: %w", file, err)
	}
	if err := checkKnown(file, &doc, reflect.TypeOf(c), ""); err != nil {
		return nil, err
	}
	if doc.Kind == 0 { // an empty file
		return c, nil
	}
	if err := doc.Decode(c); err != nil {
		return nil, fmt.Errorf("config %s: %w", file, err)
	}
	if err := c.Notify.Validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", file, err)
	}
	return c, nil
}

// Paths are the places vigil reads and writes.
type Paths struct {
	DB       string // store directory
	DemoDB   string // demo store directory
	Config   string // config.yaml
	Policies string // user policy directory
	Log      string // log file
}

// DefaultPaths resolves the XDG locations; dbFlag wins over $VIGIL_DB.
func DefaultPaths(dbFlag string) Paths {
	data := xdg("XDG_DATA_HOME", ".local/share")
	cfg := xdg("XDG_CONFIG_HOME", ".config")
	state := xdg("XDG_STATE_HOME", ".local/state")
	p := Paths{
		DB:       filepath.Join(data, "vigil", "db"),
		DemoDB:   filepath.Join(data, "vigil", "demo"),
		Config:   filepath.Join(cfg, "vigil", "config.yaml"),
		Policies: filepath.Join(cfg, "vigil", "policies"),
		Log:      filepath.Join(state, "vigil", "vigil.log"),
	}
	if v := os.Getenv("VIGIL_DB"); v != "" {
		p.DB = v
	}
	if dbFlag != "" {
		p.DB = dbFlag
	}
	return p
}

func xdg(env, fallback string) string {
	if v := os.Getenv(env); v != "" {
		return v
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return filepath.Join(home, fallback)
}
