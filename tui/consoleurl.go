package tui

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/asset"
)

// openConsole answers o: the AWS console URL of a resource, shown in the
// status line with its account (the console shows the account the browser
// is signed in to) and copied with OSC 52, which works over SSH.
func openConsole(typ, id, name, region, account string) tea.Cmd {
	u := asset.ConsoleURL(typ, id, name, region)
	if u == "" {
		return toast(false, "no AWS console page for "+text(typ))
	}
	return cmdOf(copyMsg{text: u, note: "AWS console (account " + text(account) + "), copied: " + u})
}
