package asset

import (
	"reflect"
	"testing"
)

func TestDiffPaths(t *testing.T) {
	t.Parallel()
	before := map[string]any{
		"state":   "available",
		"size":    int64(8),
		"imds":    map[string]any{"http_tokens": "optional", "hops": int64(1)},
		"ingress": []any{map[string]any{"cidr": "0.0.0.0/0", "port": int64(22)}},
		"ids":     []any{"a", "b"},
		"gone":    true,
	}
	after := map[string]any{
		"state":   "available",
		"size":    float64(8), // same number, other type: no change
		"imds":    map[string]any{"http_tokens": "required", "hops": int64(1)},
		"ingress": []any{map[string]any{"cidr": "10.0.0.0/8", "port": int64(22)}},
		"ids":     []any{"a", "b", "c"},
		"new":     map[string]any{"k": "v"},
	}
	got := Diff(before, after)
	want := []Change{
		{Path: "gone", Before: true, After: nil},
		{Path: "ids", Before: []any{"a", "b"}, After: []any{"a", "b", "c"}},
		{Path: "imds.http_tokens", Before: "optional", After: "required"},
		{Path: "ingress.0.cidr", Before: "0.0.0.0/0", After: "10.0.0.0/8"},
		{Path: "new.k", Before: nil, After: "v"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Diff =\n%#v\nwant\n%#v", got, want)
	}
	if d := Diff(before, before); len(d) != 0 {
		t.Errorf("Diff of a document with itself = %v", d)
	}
}

func TestDocDiffNameAndTags(t *testing.T) {
	t.Parallel()
	a := &Asset{Name: "web", Tags: map[string]string{"Owner": "a", "Env": "prod"}, Attrs: map[string]any{"x": int64(1)}}
	b := &Asset{Name: "web-2", Tags: map[string]string{"Owner": "b", "Env": "prod"}, Attrs: map[string]any{"x": int64(1)}}
	got := DocDiff(a, b)
	want := []Change{{Path: "name", Before: "web", After: "web-2"}, {Path: "tags.Owner", Before: "a", After: "b"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DocDiff = %#v, want %#v", got, want)
	}
	if added := DocDiff(nil, b); len(added) == 0 {
		t.Error("DocDiff from nothing lists no paths")
	}
}
