package tui

import (
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// asciiRenderer renders without colour, as golden files want.
func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// driver runs a console model synchronously: it feeds messages to Update
// and the results of the returned Cmds back in, dropping spinner ticks.
type driver struct {
	t    *testing.T
	m    *Model
	quit bool
}

func newDriver(t *testing.T, b Backend, o Options) *driver {
	t.Helper()
	if o.Renderer == nil {
		o.Renderer = asciiRenderer()
	}
	if o.Now == nil {
		o.Now = func() time.Time { return testNow }
	}
	d := &driver{t: t, m: New(b, o).(*Model)}
	d.m.c.noTimers = true
	d.run(d.m.Init())
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	return d
}

// send delivers a message and everything it causes.
func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	queue := []tea.Msg{msg}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 500 {
			d.t.Fatal("too many messages: a Cmd loop?")
		}
		msg, queue = queue[0], queue[1:]
		if _, ok := msg.(tea.QuitMsg); ok {
			d.quit = true
			continue
		}
		_, cmd := d.m.Update(msg)
		queue = append(queue, collect(cmd)...)
	}
}

func (d *driver) run(cmd tea.Cmd) {
	for _, msg := range collect(cmd) {
		d.send(msg)
	}
}

// key sends key presses: named keys ("esc", "enter", "tab", "ctrl+c") or runes.
func (d *driver) key(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

// typeText sends each rune as a key press.
func (d *driver) typeText(s string) {
	for _, r := range s {
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func keyMsg(k string) tea.KeyMsg {
	named := map[string]tea.KeyType{
		"esc": tea.KeyEsc, "enter": tea.KeyEnter, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"ctrl+c": tea.KeyCtrlC, "up": tea.KeyUp, "down": tea.KeyDown, "space": tea.KeySpace,
		"backspace": tea.KeyBackspace, "ctrl+t": tea.KeyCtrlT, "ctrl+v": tea.KeyCtrlV,
		"ctrl+d": tea.KeyCtrlD, "ctrl+u": tea.KeyCtrlU, "ctrl+a": tea.KeyCtrlA,
	}
	if t, ok := named[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// collect runs a Cmd (and the Batch/Sequence it holds) and returns the
// messages (timers are off in tests, so every Cmd answers).
func collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(10 * time.Second):
		panic("a Cmd did not answer in 10s")
	}
	switch m := msg.(type) {
	case nil, spinner.TickMsg:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range m {
			out = append(out, collect(c)...)
		}
		return out
	}
	// tea.Sequence's message is an unexported []tea.Cmd.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		var out []tea.Msg
		for i := 0; i < v.Len(); i++ {
			out = append(out, collect(v.Index(i).Interface().(tea.Cmd))...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// view is the current frame.
func (d *driver) view() string { return d.m.View() }

// titles are the breadcrumbs of the page stack.
func (d *driver) titles() []string {
	var out []string
	for _, p := range d.m.stack {
		out = append(out, p.Title())
	}
	return out
}

func (d *driver) mustSee(s string) {
	d.t.Helper()
	if v := d.view(); !strings.Contains(v, s) {
		d.t.Fatalf("screen lacks %q:\n%s", s, v)
	}
}
