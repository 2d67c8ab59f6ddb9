package db

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

func sampleAsset() *asset.Asset {
	return &asset.Asset{
		ID: "arn:aws:ec2:us-east-1:111111111111:volume/vol-1", Type: asset.TypeVolume, Name: "data",
		Account: "111111111111", Region: "us-east-1", Source: "aws",
		Tags:      map[string]string{"Env": "prod", "": "empty key"},
		FirstSeen: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), LastSeen: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Attrs: map[string]any{
			"i": int64(-1 << 62), "f": 3.25, "b": true, "n": nil, "s": "ünïcode",
			"l": []any{int64(1), "two", []any{}, map[string]any{}},
			"m": map[string]any{"x": map[string]any{"y": false}},
		},
	}
}

func TestDocCodecRoundTrip(t *testing.T) {
	a := sampleAsset()
	raw, err := encodeDoc(nil, a)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeDoc(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, a) {
		t.Errorf("round trip:\n got %#v\nwant %#v", got, a)
	}
	zero := &asset.Asset{ID: "x"}
	raw, _ = encodeDoc(nil, zero)
	if got, err := decodeDoc(raw); err != nil || !got.FirstSeen.IsZero() || got.Attrs != nil || got.Tags != nil {
		t.Errorf("zero asset round trip: %#v, %v", got, err)
	}
}

func TestDocCodecNormalisesGoTypes(t *testing.T) {
	type port struct {
		From int `json:"from"`
	}
	a := &asset.Asset{ID: "x", Attrs: map[string]any{
		"int": 5, "int32": int32(6), "f32": float32(0.5), "strs": []string{"a", "b"},
		"smap": map[string]string{"k": "v"}, "struct": port{From: 22}, "structs": []port{{1}},
	}}
	raw, err := encodeDoc(nil, a)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeDoc(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"int": int64(5), "int32": int64(6), "f32": 0.5, "strs": []any{"a", "b"},
		"smap": map[string]any{"k": "v"}, "struct": map[string]any{"from": int64(22)},
		"structs": []any{map[string]any{"from": int64(1)}},
	}
	if !reflect.DeepEqual(got.Attrs, want) {
		t.Errorf("normalised attrs:\n got %#v\nwant %#v", got.Attrs, want)
	}
	bad := &asset.Asset{ID: "x", Attrs: map[string]any{"ch": make(chan int)}}
	if _, err := encodeDoc(nil, bad); err == nil {
		t.Error("encoding a channel attribute succeeded")
	}
}

func TestDecodersRejectDamagedRecords(t *testing.T) {
	a := sampleAsset()
	doc, _ := encodeDoc(nil, a)
	sum := a.Summary()
	sv := encodeSummary(nil, &sum)
	for cut := range len(doc) {
		if _, err := decodeDoc(doc[:cut]); err == nil {
			t.Fatalf("decodeDoc accepted a record cut at %d of %d bytes", cut, len(doc))
		}
	}
	for cut := range len(sv) {
		var s asset.Summary
		if err := decodeSummary(sv[:cut], &s); err == nil {
			t.Fatalf("decodeSummary accepted a record cut at %d of %d bytes", cut, len(sv))
		}
	}
	// Flipped bytes must give an error or a value, never a panic.
	for i := range doc {
		d := append([]byte{}, doc...)
		d[i] ^= 0xff
		_, _ = decodeDoc(d)
	}
	if _, err := decodeDoc([]byte{9}); !errors.Is(err, errCorrupt) {
		t.Errorf("unknown layout: %v, want errCorrupt", err)
	}
}

func TestPatchFirstSeen(t *testing.T) {
	a := sampleAsset()
	doc, _ := encodeDoc(nil, a)
	when := time.Date(2020, 5, 5, 0, 0, 0, 0, time.UTC)
	patchFirstSeen(doc, when.UnixNano())
	got, err := decodeDoc(doc)
	if err != nil || !got.FirstSeen.Equal(when) || got.ID != a.ID {
		t.Errorf("patched doc: %v first seen %v", err, got.FirstSeen)
	}
}
