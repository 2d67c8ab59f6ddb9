package asset_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/asset"
)

func TestTagsGetLenAll(t *testing.T) {
	m := map[string]string{"Team": "sre", "Env": "prod", "": "empty key", "Name": "", "é": "ü"}
	tg := asset.NewTags(m)
	if tg.Len() != len(m) {
		t.Errorf("Len = %d, want %d", tg.Len(), len(m))
	}
	for k, v := range m {
		if got, ok := tg.Get(k); !ok || got != v {
			t.Errorf("Get(%q) = %q, %v; want %q", k, got, ok, v)
		}
	}
	if _, ok := tg.Get("Owner"); ok {
		t.Error("Get of a missing key reported it set")
	}
	var keys []string
	for k := range tg.All() {
		keys = append(keys, k)
	}
	if want := []string{"", "Env", "Name", "Team", "é"}; !slices.Equal(keys, want) {
		t.Errorf("All keys %q, want %q", keys, want)
	}
	if !maps.Equal(tg.Map(), m) {
		t.Errorf("Map = %v, want %v", tg.Map(), m)
	}
	if tg != asset.NewTags(maps.Clone(m)) {
		t.Error("equal tag sets are not ==")
	}
	var zero asset.Tags
	if !zero.IsZero() || zero.Len() != 0 || zero.Map() != nil || !asset.NewTags(nil).IsZero() || !asset.NewTags(map[string]string{}).IsZero() {
		t.Error("empty tags are not the zero value")
	}
}

func TestParseTagsChecksForm(t *testing.T) {
	packed := asset.AppendTags(nil, []asset.TagPair{{"b", "2"}, {"a", "1"}, {"a", "dup"}})
	tg, err := asset.ParseTags(string(packed))
	if err != nil || tg != asset.NewTags(map[string]string{"a": "1", "b": "2"}) {
		t.Fatalf("ParseTags(AppendTags) = %v, %v", tg.Map(), err)
	}
	for _, bad := range []string{"\x05ab", "\x01b\x012\x01a\x011", "\x01a\x011\x01a\x011", "\x01a", "\xff"} {
		if _, err := asset.ParseTags(bad); err == nil {
			t.Errorf("ParseTags(%q) accepted a malformed string", bad)
		}
	}
}

// A summary marshals exactly as it did when Tags was a map, and back.
func TestTagsJSONAsMap(t *testing.T) {
	m := map[string]string{"Owner": "a<b>&c", "Env": "prod \"x\"", "ü": "\u2028"}
	for _, escape := range []bool{true, false} {
		var want, got bytes.Buffer
		we, ge := json.NewEncoder(&want), json.NewEncoder(&got)
		we.SetEscapeHTML(escape)
		ge.SetEscapeHTML(escape)
		if err := we.Encode(struct {
			Tags map[string]string `json:"tags,omitempty"`
			N    int               `json:"n"`
		}{m, 1}); err != nil {
			t.Fatal(err)
		}
		if err := ge.Encode(struct {
			Tags asset.Tags `json:"tags,omitzero"`
			N    int        `json:"n"`
		}{asset.NewTags(m), 1}); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("escapeHTML %v: got %s want %s", escape, got.String(), want.String())
		}
	}
	s := asset.Summary{ID: "x", Tags: asset.NewTags(m)}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back asset.Summary
	if err := json.Unmarshal(b, &back); err != nil || back != s {
		t.Errorf("round trip: %#v, %v; want %#v", back, err, s)
	}
	b, _ = json.Marshal(asset.Summary{ID: "x"})
	if bytes.Contains(b, []byte("tags")) {
		t.Errorf("empty tags marshalled: %s", b)
	}
	if err := json.Unmarshal([]byte(`{"tags":{"a":1}}`), &back); err == nil {
		t.Error("a non-string tag value was accepted")
	}
}
