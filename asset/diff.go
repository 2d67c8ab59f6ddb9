package asset

import (
	"reflect"
	"sort"
	"strconv"
)

// Change is one attribute path whose value differs between two documents.
// A side where the path does not exist is nil.
type Change struct {
	Path   string `json:"path"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// Diff lists the paths (in Get's dotted syntax) where after differs from
// before, sorted by path. Maps are compared key by key, also when one side
// lacks the map (each leaf is then a change); lists of equal length element
// by element ("ingress.0.cidr"); a list whose length changed is one change.
// Numbers compare by value, so int64 3 equals float64 3. This is vigil's one
// state diff: scan diffs, asset history and fix drift checks all use it.
func Diff(before, after map[string]any) []Change {
	var out []Change
	diffMaps("", before, after, &out)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func diffMaps(prefix string, a, b map[string]any, out *[]Change) {
	for k, av := range a {
		bv, ok := b[k]
		if !ok {
			diffValues(join(prefix, k), av, nil, true, false, out)
			continue
		}
		diffValues(join(prefix, k), av, bv, true, true, out)
	}
	for k, bv := range b {
		if _, ok := a[k]; !ok {
			diffValues(join(prefix, k), nil, bv, false, true, out)
		}
	}
}

// diffValues compares one path; hasA and hasB say whether each side has it.
func diffValues(path string, a, b any, hasA, hasB bool, out *[]Change) {
	ma, aMap := asMap(a)
	mb, bMap := asMap(b)
	switch {
	case aMap && bMap, aMap && !hasB, bMap && !hasA:
		if len(ma) == 0 && len(mb) == 0 {
			if hasA != hasB {
				*out = append(*out, Change{Path: path, Before: a, After: b})
			}
			return
		}
		diffMaps(path, ma, mb, out)
		return
	}
	la, aList := a.([]any)
	lb, bList := b.([]any)
	if aList && bList && len(la) == len(lb) {
		for i := range la {
			diffValues(path+"."+strconv.Itoa(i), la[i], lb[i], true, true, out)
		}
		return
	}
	if hasA && hasB && equalValues(a, b) {
		return
	}
	*out = append(*out, Change{Path: path, Before: a, After: b})
}

// asMap views a document map (either map form Get reads) as map[string]any.
func asMap(v any) (map[string]any, bool) {
	switch t := v.(type) {
	case map[string]any:
		return t, true
	case map[string]string:
		m := make(map[string]any, len(t))
		for k, s := range t {
			m[k] = s
		}
		return m, true
	}
	return nil, false
}

// equalValues compares two leaves, numbers by value.
func equalValues(a, b any) bool {
	if fa, ok := number(a); ok {
		fb, ok := number(b)
		return ok && fa == fb
	}
	return reflect.DeepEqual(a, b)
}

func number(v any) (float64, bool) {
	switch t := v.(type) {
	case int64:
		return float64(t), true
	case int:
		return float64(t), true
	case float64:
		return t, true
	case int32:
		return float64(t), true
	}
	return 0, false
}

// DocDiff lists what changed between two versions of one asset: its name
// ("name"), tags ("tags.KEY") and attributes (their own paths). Either side
// may be nil (the asset did not exist).
func DocDiff(before, after *Asset) []Change {
	return Diff(diffView(before), diffView(after))
}

// diffView is the part of an asset a diff compares.
func diffView(a *Asset) map[string]any {
	if a == nil {
		return nil
	}
	m := make(map[string]any, len(a.Attrs)+2)
	for k, v := range a.Attrs {
		m[k] = v
	}
	m["name"] = a.Name
	tags := make(map[string]any, len(a.Tags))
	for k, v := range a.Tags {
		tags[k] = v
	}
	m["tags"] = tags
	return m
}
