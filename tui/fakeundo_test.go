package tui

import (
	"context"
	"errors"
	"fmt"

	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

// The fake's undo and exception impact. The real refusal rules live in
// cycle (cycle/undo.go) and are tested there and through the demo backend;
// the fake keeps the ones the console's dialogs show.

func (f *fakeBackend) record(id string) (*fix.Record, error) {
	for i := range f.fixes {
		if f.fixes[i].ID == id {
			return &f.fixes[i], nil
		}
	}
	return nil, fmt.Errorf("fix record %s: not found", id)
}

func (f *fakeBackend) CheckUndo(recordID string) (*fix.Record, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, err := f.record(recordID)
	if err != nil {
		return nil, err
	}
	cp := *r
	switch {
	case r.UndoneBy != "":
		return &cp, fmt.Errorf("fix record %s was already undone by %s", r.ID, r.UndoneBy)
	case r.Status != fix.RecordApplied:
		return &cp, fmt.Errorf("fix record %s is %s: only applied fixes can be undone", r.ID, r.Status)
	case !r.Undoable:
		return &cp, fmt.Errorf("fix record %s (%s): %w", r.ID, r.Action, fix.ErrNotUndoable)
	}
	return &cp, nil
}

func (f *fakeBackend) UndoFix(ctx context.Context, recordID string) (*fix.Record, error) {
	if _, err := f.CheckUndo(recordID); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	orig, _ := f.record(recordID)
	u := cycle.UndoRecord(orig, "tester", testNow)
	u.ID, u.Status = fmt.Sprintf("fix-%d", len(f.fixes)+1), fix.RecordUndone
	orig.Status, orig.UndoneBy = fix.RecordUndone, u.ID
	if v, ok := f.violations[orig.ViolationID]; ok {
		v.Status, v.ClosedAt, v.Reason = rules.StatusOpen, nil, ""
	}
	f.undone = append(f.undone, recordID)
	f.fixes = append([]fix.Record{*u}, f.fixes...)
	return u, nil
}

func (f *fakeBackend) DeclineUndo(ctx context.Context, recordID, reason string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	orig, err := f.record(recordID)
	if err != nil {
		return err
	}
	u := cycle.UndoRecord(orig, "tester", testNow)
	u.ID, u.Status, u.Error = fmt.Sprintf("fix-%d", len(f.fixes)+1), fix.RecordRefused, reason
	f.fixes = append([]fix.Record{*u}, f.fixes...)
	return nil
}

func (f *fakeBackend) ExceptionImpact(e rules.Exception) (cycle.Impact, error) {
	if e.Kind == "" {
		return cycle.Impact{}, errors.New("exception without a kind")
	}
	vs, err := f.Violations("all", db.ViolationFilter{Status: []string{rules.StatusOpen}})
	if err != nil {
		return cycle.Impact{}, err
	}
	return cycle.ExceptionImpact(e, vs, func(id string) map[string]any {
		a, err := f.Asset(id)
		if err != nil {
			return nil
		}
		return a.Doc()
	}, testNow), nil
}
