package config

import (
	"fmt"
	"time"

	"gopkg.in/yaml.v3"
)

// Serve configures `vigil serve`: where it listens, who may log in with
// which public keys, in which role and confined to which groups.
type Serve struct {
	Listen      string        `yaml:"listen"`       // default 127.0.0.1:2222
	Users       []ServeUser   `yaml:"users"`        // public-key users
	IdleTimeout time.Duration `yaml:"idle_timeout"` // 0: none
	MaxSessions int           `yaml:"max_sessions"` // 0: 64
}

// ServeUser is one person allowed in over SSH.
type ServeUser struct {
	Name   string     `yaml:"name"`
	Role   string     `yaml:"role"`   // viewer | operator | admin
	Keys   []ServeKey `yaml:"keys"`   // authorized_keys lines
	Groups []string   `yaml:"groups"` // confine the user to these groups; empty: all
	Line   int        `yaml:"-"`      // where the user is written in config.yaml
}

// ServeKey is one authorized_keys line with the line it is written on, so
// a bad key is reported where it is.
type ServeKey struct {
	Text string
	Line int
}

// UnmarshalYAML keeps the user's line.
func (u *ServeUser) UnmarshalYAML(n *yaml.Node) error {
	type plain ServeUser
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*u = ServeUser(p)
	u.Line = n.Line
	return nil
}

// UnmarshalYAML reads a key line and keeps where it is written.
func (k *ServeKey) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a key is one authorized_keys line in quotes", n.Line)
	}
	k.Text, k.Line = n.Value, n.Line
	return nil
}
