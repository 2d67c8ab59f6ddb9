package tui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/vigil-sec/vigil/asset"
)

// actionNeeds maps each write action of the key map to the backend action
// it performs, so the console hides what the session's role cannot do (the
// backend refuses it anyway, and audits the attempt).
func actionNeeds() map[string]asset.Action {
	return map[string]asset.Action{
		"fix": asset.ActFix, "exception": asset.ActExceptionAdd, "scan": asset.ActScan,
		"disable": asset.ActPolicyEdit, "autofix": asset.ActPolicyEdit, "revoke": asset.ActExceptionRevoke,
		"new": asset.ActGroupEdit, "edit": asset.ActGroupEdit, "delete": asset.ActGroupEdit,
		"undo": asset.ActFixUndo,
	}
}

// disableForRole turns off the actions the actor's role lacks, each with
// the reason the footer and help show.
func disableForRole(k *KeyMap, a asset.Actor) {
	if a.Role == "" {
		return
	}
	for name, act := range actionNeeds() {
		if err := a.Check(act); err != nil {
			k.DisableActions([]string{name}, fmt.Sprintf("%s is %s", a.Name, err.(*asset.RefusedError).Reason))
		}
	}
}

// refusalAuditor is a backend that audits a write its user's role lacks,
// pressed anyway in the console (cycle.Backend).
type refusalAuditor interface {
	AuditRefused(act asset.Action, target string) error
}

// auditRefusal records, off the UI goroutine, that the user pressed a key
// whose action their role lacks: who, what and why, like a refused fix.
// Read-only sessions and actions no role governs are not audited.
func (m *Model) auditRefusal(action string) tea.Cmd {
	act, governed := actionNeeds()[action]
	ra, ok := m.c.b.(refusalAuditor)
	if !governed || !ok || m.c.readOnly {
		return nil
	}
	log := m.c.logf
	return func() tea.Msg {
		if err := ra.AuditRefused(act, "console"); err != nil {
			log("console: audit a refused %s: %v", action, err)
		}
		return nil
	}
}
