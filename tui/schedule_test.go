package tui

import (
	"testing"
	"time"
)

// The config schedule arms a tick only when set and never in a read-only
// session; each tick starts a scan unless one is running.
func TestScheduleArmsAndStartsScans(t *testing.T) {
	b := newFakeBackend(nil)
	m := New(b, Options{Renderer: asciiRenderer(), ScanEvery: time.Hour}).(*Model)
	if m.scheduleTick() == nil {
		t.Fatal("a schedule of 1h armed no tick")
	}
	if New(b, Options{Renderer: asciiRenderer()}).(*Model).scheduleTick() != nil {
		t.Error("no schedule configured, yet a tick was armed")
	}
	if New(b, Options{Renderer: asciiRenderer(), ReadOnly: true, ScanEvery: time.Hour}).(*Model).scheduleTick() != nil {
		t.Error("a read-only session armed scheduled scans")
	}
	m.onSchedule()
	if m.scan == nil {
		t.Fatal("the schedule's tick did not start a scan")
	}
	first := m.scan
	m.onSchedule()
	if m.scan != first {
		t.Error("a tick during a running scan started a second one")
	}
	first.cancel()
}
