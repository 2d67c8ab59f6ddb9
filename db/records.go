package db

import (
	"encoding/binary"
	"fmt"

	"github.com/vigil-sec/vigil/asset"
)

// Record layout versions. Every asset record starts with its version byte
// and then FirstSeen as 8 fixed bytes, so an upsert can patch FirstSeen in
// place after it learns the stored value.
const (
	summaryV1 byte = 1
	docV1     byte = 1
	indexV1   byte = 1
)

// firstSeenAt is the offset of FirstSeen in summary, document and index
// values; a summary's LastSeen follows at lastSeenAt.
const (
	firstSeenAt = 1
	lastSeenAt  = 9
)

// encodeSummary writes s as: version, FirstSeen, LastSeen, Hash, ID, Type,
// Name, Account, Region, Source, Tags (count, then the pairs in key order).
func encodeSummary(buf []byte, s *asset.Summary) []byte {
	e := enc{b: buf[:0]}
	e.byte1(summaryV1)
	e.time(s.FirstSeen)
	e.time(s.LastSeen)
	e.fixed64(s.Hash)
	e.str(s.ID)
	e.str(s.Type)
	e.str(s.Name)
	e.str(s.Account)
	e.str(s.Region)
	e.str(s.Source)
	e.uvarint(uint64(s.Tags.Len()))
	e.b = append(e.b, s.Tags.Packed()...) // pairs in key order, as the decoder prefers
	return e.b
}

// encodeDoc writes a full asset: version, FirstSeen, LastSeen, identity
// fields, tags, then the attribute document. The document is rewritten only
// when its content changes, so its LastSeen may be older than the
// summary's; readers take LastSeen from the summary.
func encodeDoc(buf []byte, a *asset.Asset) ([]byte, error) {
	e := enc{b: buf[:0]}
	e.byte1(docV1)
	e.time(a.FirstSeen)
	e.time(a.LastSeen)
	e.str(a.ID)
	e.str(a.Type)
	e.str(a.Name)
	e.str(a.Account)
	e.str(a.Region)
	e.str(a.Source)
	e.tags(a.Tags)
	var attrs any
	if a.Attrs != nil {
		attrs = a.Attrs
	}
	if err := e.value(attrs); err != nil {
		return nil, fmt.Errorf("asset %s: %w", a.ID, err)
	}
	return e.b, nil
}

// decodeDoc reads a full asset document.
func decodeDoc(b []byte) (*asset.Asset, error) {
	d := newDec(b)
	if v := d.byte1(); v != docV1 {
		return nil, fmt.Errorf("asset document: unknown layout v%d: %w", v, errCorrupt)
	}
	a := &asset.Asset{}
	a.FirstSeen = d.time()
	a.LastSeen = d.time()
	a.ID = d.str()
	a.Type = d.str()
	a.Name = d.str()
	a.Account = d.str()
	a.Region = d.str()
	a.Source = d.str()
	a.Tags = d.tags()
	if m, ok := d.value().(map[string]any); ok {
		a.Attrs = m
	}
	if d.err != nil {
		return nil, fmt.Errorf("asset document: %w", d.err)
	}
	return a, nil
}

// indexEntry is what the ID index holds: enough to find the summary and
// document keys, FirstSeen so an upsert need not read the summary, and the
// document hash and source so an unchanged document is not rewritten.
type indexEntry struct {
	firstSeen int64
	hash      uint64
	account   string
	typ       string
	region    string
	source    string
}

func encodeIndex(buf []byte, ie indexEntry) []byte {
	e := enc{b: buf[:0]}
	e.byte1(indexV1)
	e.fixed64(uint64(ie.firstSeen))
	e.fixed64(ie.hash)
	e.str(ie.account)
	e.str(ie.typ)
	e.str(ie.region)
	e.str(ie.source)
	return e.b
}

func decodeIndex(b []byte) (indexEntry, error) {
	d := newDec(b)
	if v := d.byte1(); v != indexV1 {
		return indexEntry{}, fmt.Errorf("asset index: unknown layout v%d: %w", v, errCorrupt)
	}
	ie := indexEntry{firstSeen: int64(d.fixed64()), hash: d.fixed64()}
	ie.account = d.str()
	ie.typ = d.str()
	ie.region = d.str()
	ie.source = d.str()
	if d.err != nil {
		return indexEntry{}, fmt.Errorf("asset index: %w", d.err)
	}
	return ie, nil
}

// patchFirstSeen overwrites FirstSeen in an encoded summary, document or
// index value.
func patchFirstSeen(b []byte, nanos int64) {
	binary.BigEndian.PutUint64(b[firstSeenAt:], uint64(nanos))
}
