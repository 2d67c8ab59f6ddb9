package db

import (
	"testing"
	"time"
	"unsafe"

	"github.com/vigil-sec/vigil/asset"
)

func TestSummaryCodecRoundTrip(t *testing.T) {
	a := sampleAsset()
	want := a.Summary()
	raw := encodeSummary(nil, &want)
	var got asset.Summary
	if err := decodeSummary(raw, &got); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("round trip:\n got %#v\nwant %#v", got, want)
	}
	if v, ok := got.Tags.Get("Env"); !ok || v != "prod" || got.Tags.Len() != 2 {
		t.Errorf("tags after round trip: %v", got.Tags.Map())
	}
}

// A decoded summary's ID, name and tags live in one string, and equal
// types, accounts, regions and sources are one string per decoder.
func TestSummaryDecodeSharesText(t *testing.T) {
	a := sampleAsset()
	s1 := a.Summary()
	b := *a
	b.ID, b.Name = a.ID+"-b", a.ID+"-b"
	s2 := b.Summary()
	var sd sumDecoder
	var got1, got2 asset.Summary
	if err := sd.decode(encodeSummary(nil, &s1), &got1); err != nil {
		t.Fatal(err)
	}
	if err := sd.decode(encodeSummary(nil, &s2), &got2); err != nil {
		t.Fatal(err)
	}
	id, name, tags := unsafe.StringData(got1.ID), unsafe.StringData(got1.Name), unsafe.StringData(got1.Tags.Packed())
	if unsafe.Add(unsafe.Pointer(id), len(got1.ID)) != unsafe.Pointer(name) ||
		unsafe.Add(unsafe.Pointer(name), len(got1.Name)) != unsafe.Pointer(tags) {
		t.Error("ID, Name and Tags are not consecutive parts of one string")
	}
	if got2.Name != got2.ID || unsafe.StringData(got2.Name) != unsafe.StringData(got2.ID) {
		t.Error("a name equal to the ID is stored twice")
	}
	for _, f := range [][2]string{{got1.Type, got2.Type}, {got1.Account, got2.Account}, {got1.Region, got2.Region}, {got1.Source, got2.Source}} {
		if f[0] != f[1] || unsafe.StringData(f[0]) != unsafe.StringData(f[1]) {
			t.Errorf("%q is not interned", f[0])
		}
	}
}

// Records written before tags were packed hold their pairs in map order.
func TestSummaryDecodeSortsOldTagOrder(t *testing.T) {
	e := enc{}
	e.byte1(summaryV1)
	e.time(time.Unix(5, 0))
	e.time(time.Unix(5, 0))
	e.fixed64(7)
	for _, s := range []string{"id", "aws.s3.bucket", "name", "1", "us-east-1", "aws"} {
		e.str(s)
	}
	e.uvarint(3)
	for _, s := range []string{"b", "2", "a", "1", "b", "dup"} {
		e.str(s)
	}
	var got asset.Summary
	if err := decodeSummary(e.b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Tags != asset.NewTags(map[string]string{"a": "1", "b": "2"}) || got.Hash != 7 || got.Region != "us-east-1" {
		t.Errorf("decoded %#v, tags %v", got, got.Tags.Map())
	}
}
