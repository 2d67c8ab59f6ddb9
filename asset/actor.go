package asset

import (
	"errors"
	"fmt"
	"strings"
)

// Role is what a user of vigil may do. Roles are ordered: every role may do
// what the roles below it may.
type Role string

// The roles, weakest first.
const (
	// RoleViewer reads everything in its scope and changes nothing.
	RoleViewer Role = "viewer"
	// RoleOperator also fixes, adds exceptions and starts scans.
	RoleOperator Role = "operator"
	// RoleAdmin also edits groups, revokes exceptions and enables,
	// disables or automates policies.
	RoleAdmin Role = "admin"
)

// Roles lists every role, weakest first.
func Roles() []Role { return []Role{RoleViewer, RoleOperator, RoleAdmin} }

// ParseRole reads a role name as written in config.yaml.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles() {
		if strings.EqualFold(strings.TrimSpace(s), string(r)) {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q (want viewer, operator or admin)", s)
}

func (r Role) rank() int {
	switch r {
	case RoleViewer:
		return 1
	case RoleOperator:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Action is a write the backend guards with a role check.
type Action string

// The guarded writes.
const (
	ActFix             Action = "fix"              // plan and apply a fix
	ActFixUndo         Action = "fix.undo"         // reverse an applied fix
	ActExceptionAdd    Action = "exception.add"    // add an individual or sticky exception
	ActScan            Action = "scan"             // start a scan
	ActImport          Action = "import"           // merge a snapshot into the store
	ActExceptionRevoke Action = "exception.revoke" // revoke an exception
	ActGroupEdit       Action = "group.edit"       // add, change or delete a group
	ActPolicyEdit      Action = "policy.edit"      // enable, disable or automate a policy
)

// minRole is the weakest role allowed each action.
func (a Action) minRole() Role {
	switch a {
	case ActFix, ActFixUndo, ActExceptionAdd, ActScan:
		return RoleOperator
	default:
		return RoleAdmin
	}
}

// Allows reports whether the role may perform act.
func (r Role) Allows(act Action) bool { return r.rank() >= act.minRole().rank() }

// Via names the front end an actor came through.
const (
	ViaCLI      = "cli"      // a headless command on this machine
	ViaConsole  = "console"  // the local console
	ViaSSH      = "ssh"      // a session or command over `vigil serve`
	ViaSocket   = "socket"   // a local command run by the store's owner
	ViaSchedule = "schedule" // the unattended cycle
)

// Actor is who performs a write: every write in the backend takes one, is
// checked against its role and scope, and is audited with it.
type Actor struct {
	Name   string   `json:"name"`
	Role   Role     `json:"role"`
	Via    string   `json:"via"`
	Key    string   `json:"key,omitempty"`    // SSH key fingerprint, when via ssh
	Groups []string `json:"groups,omitempty"` // confines the actor to these groups; empty: all
}

// String is the actor as audit trails show it: "otto (operator via ssh)".
func (a Actor) String() string {
	name := a.Name
	if name == "" {
		name = "unknown"
	}
	if a.Role == "" && a.Via == "" {
		return name
	}
	return fmt.Sprintf("%s (%s via %s)", name, a.Role, a.Via)
}

// Scoped reports whether the actor is confined to some groups.
func (a Actor) Scoped() bool { return len(a.Groups) > 0 }

// ErrRefused marks an action refused for the actor's role or scope.
var ErrRefused = errors.New("refused")

// RefusedError says who was refused what and why.
type RefusedError struct {
	Actor  Actor
	Action Action
	Reason string
}

// Error is the refusal as the user sees it.
func (e *RefusedError) Error() string {
	return fmt.Sprintf("%s may not %s: %s", e.Actor.Name, e.Action, e.Reason)
}

// Unwrap lets errors.Is(err, ErrRefused) find a refusal.
func (e *RefusedError) Unwrap() error { return ErrRefused }

// Check returns a *RefusedError when the actor's role may not perform act.
func (a Actor) Check(act Action) error {
	if a.Role.Allows(act) {
		return nil
	}
	role := a.Role
	if role == "" {
		role = "no role"
	}
	return &RefusedError{Actor: a, Action: act,
		Reason: fmt.Sprintf("role %s; it needs %s", role, act.minRole())}
}
