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

// oldSummaryRecord encodes a summary record as written before tags were
// packed: seen at 5 s, hash 7, the string fields (ID, type, name, account,
// region, source) and the tag pairs in the order given.
func oldSummaryRecord(fields []string, pairs ...string) []byte {
	e := enc{}
	e.byte1(summaryV1)
	e.time(time.Unix(5, 0))
	e.time(time.Unix(5, 0))
	e.fixed64(7)
	for _, s := range fields {
		e.str(s)
	}
	e.uvarint(uint64(len(pairs) / 2))
	for _, s := range pairs {
		e.str(s)
	}
	return e.b
}

// Records written before tags were packed hold their pairs in map order.
func TestSummaryDecodeSortsOldTagOrder(t *testing.T) {
	raw := oldSummaryRecord([]string{"id", "aws.s3.bucket", "name", "1", "us-east-1", "aws"}, "b", "2", "a", "1", "b", "dup")
	var got asset.Summary
	if err := decodeSummary(raw, &got); err != nil {
		t.Fatal(err)
	}
	if got.Tags != asset.NewTags(map[string]string{"a": "1", "b": "2"}) || got.Hash != 7 || got.Region != "us-east-1" {
		t.Errorf("decoded %#v, tags %v", got, got.Tags.Map())
	}
}

// With a tag table, decoders (one per worker) give equal tag sets one
// string: the first summary's own, later ones refer to it. Each decoded
// summary still equals what was written.
func TestSummaryDecodeSharesTagSets(t *testing.T) {
	tags := newTagTable(0)
	w1, w2 := sumDecoder{tags: tags}, sumDecoder{tags: tags}
	mk := func(id string, tags map[string]string) asset.Summary {
		a := sampleAsset()
		a.ID, a.Name, a.Tags = id, id+"-name", tags
		return a.Summary()
	}
	same := map[string]string{"Env": "prod", "team": "payments"}
	want := []asset.Summary{
		mk("a", same),
		mk("b", map[string]string{"Env": "prod", "team": "payments"}),
		mk("c", map[string]string{"Env": "dev"}),
		mk("d", nil),
		mk("e", same),
	}
	got := make([]asset.Summary, len(want))
	for i := range want {
		sd := &w1
		if i%2 == 1 {
			sd = &w2
		}
		if err := sd.decode(encodeSummary(nil, &want[i]), &got[i]); err != nil {
			t.Fatal(err)
		}
		if got[i] != want[i] {
			t.Errorf("summary %d:\n got %#v\nwant %#v", i, got[i], want[i])
		}
	}
	first := unsafe.StringData(got[0].Tags.Packed())
	if unsafe.Add(unsafe.Pointer(unsafe.StringData(got[0].Name)), len(got[0].Name)) != unsafe.Pointer(first) {
		t.Error("the first summary with a tag set does not keep it in its own string")
	}
	for _, i := range []int{1, 4} {
		if unsafe.StringData(got[i].Tags.Packed()) != first {
			t.Errorf("summary %s does not share the tag set of summary a", got[i].ID)
		}
	}
	if unsafe.StringData(got[2].Tags.Packed()) == first || !got[3].Tags.IsZero() {
		t.Errorf("different tags shared: c %v, d %v", got[2].Tags.Map(), got[3].Tags.Map())
	}
	if v, ok := got[4].Tags.Get("team"); !ok || v != "payments" || got[4].Tags.Len() != 2 {
		t.Errorf("shared tags read back as %v", got[4].Tags.Map())
	}
}

// An old record's pairs, sorted by the decoder, share the set of a new
// record with the same pairs.
func TestSummaryDecodeSharesSortedOldTags(t *testing.T) {
	tags := newTagTable(0)
	sd := sumDecoder{tags: tags}
	raw := oldSummaryRecord([]string{"old", "aws.s3.bucket", "old", "1", "us-east-1", "aws"}, "b", "2", "a", "1")
	newer := asset.Summary{ID: "new", Name: "new", Tags: asset.NewTags(map[string]string{"a": "1", "b": "2"})}
	var gotNew, gotOld asset.Summary
	if err := sd.decode(encodeSummary(nil, &newer), &gotNew); err != nil {
		t.Fatal(err)
	}
	if err := sd.decode(raw, &gotOld); err != nil {
		t.Fatal(err)
	}
	if gotOld.Tags != newer.Tags || unsafe.StringData(gotOld.Tags.Packed()) != unsafe.StringData(gotNew.Tags.Packed()) {
		t.Errorf("old record's tags %v not shared with the new record's", gotOld.Tags.Map())
	}
}

// A name that ends the ID is not stored again: it is the ID's tail.
func TestSummaryDecodeNameInID(t *testing.T) {
	a := sampleAsset()
	a.ID, a.Name = "arn:aws:ec2:us-east-1:111111111111:volume/vol-0abc", "vol-0abc"
	want := a.Summary()
	var got asset.Summary
	if err := decodeSummary(encodeSummary(nil, &want), &got); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("round trip:\n got %#v\nwant %#v", got, want)
	}
	tail := unsafe.Add(unsafe.Pointer(unsafe.StringData(got.ID)), len(got.ID)-len(got.Name))
	if unsafe.Pointer(unsafe.StringData(got.Name)) != tail {
		t.Error("the name is a copy, not the ID's tail")
	}
	if unsafe.Add(unsafe.Pointer(unsafe.StringData(got.ID)), len(got.ID)) != unsafe.Pointer(unsafe.StringData(got.Tags.Packed())) {
		t.Error("the tags do not follow the ID")
	}
}
