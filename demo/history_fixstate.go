package demo

import "github.com/vigil-sec/vigil/asset"

// liveFixState gives a history fix record the before- and after-state the
// demo world's action reports for the asset as it is now, so the record can
// be undone in the demo like a fix applied in the session: the undo's drift
// check compares the record's after-state with the live one, and the undo
// restores the before-value. planned is the violating state planFor
// describes (keyed by the path's first segment); a list (a security
// group's rules) gets the public entries back on top of the live ones.
// ok is false when the asset or a path action is missing.
func (h *hist) liveFixState(action, assetID string, planned map[string]any) (before, after map[string]any, ok bool) {
	var s *spec
	specs := fixSpecs()
	for i := range specs {
		if specs[i].id == action && specs[i].path != "" {
			s = &specs[i]
		}
	}
	if s == nil {
		return nil, nil, false
	}
	a, err := h.store.Asset(assetID)
	if err != nil {
		return nil, nil, false
	}
	after = s.state(a)
	bad, found := asset.Get(normalize(planned), s.path)
	if !found {
		return nil, nil, false
	}
	before = normalize(after)
	leaf := s.leaf()
	if live, isList := after[leaf].([]any); isList {
		extra, _ := bad.([]any)
		bad = append(append([]any{}, live...), extra...)
	}
	before[leaf] = normalizeValue(bad)
	return before, after, true
}
