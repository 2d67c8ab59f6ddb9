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
	indexV1   byte = 1 // schema 1: the ID index entry alone (the document had its own key)
	assetV2   byte = 2 // schema 2: the ID record, the index fields followed by the document
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
	return encodeSummaryTags(buf, s, s.Tags.Len(), s.Tags.Packed())
}

// encodeSummaryTags is encodeSummary with the tags given apart: n pairs
// packed as asset.AppendTags writes them (writers pack them in scratch
// space rather than build an asset.Tags per asset). s.Tags is not read.
func encodeSummaryTags[P string | []byte](buf []byte, s *asset.Summary, n int, packed P) []byte {
	e := enc{b: buf[:0]}
	e.byte1(summaryV1)
	e.instant(s.FirstSeen)
	e.instant(s.LastSeen)
	e.fixed64(s.Hash)
	e.str(s.ID)
	e.str(s.Type)
	e.str(s.Name)
	e.str(s.Account)
	e.str(s.Region)
	e.str(s.Source)
	e.uvarint(uint64(n))
	e.b = append(e.b, packed...) // pairs in key order, as the decoder prefers
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

// indexEntry is the head of an asset's ID record: enough to find the
// summary key, FirstSeen so an upsert need not read the summary, and the
// document hash and source so an unchanged document is not rewritten. The
// asset's document follows it in the same value.
type indexEntry struct {
	firstSeen int64
	hash      uint64
	account   string
	typ       string
	region    string
	source    string
}

// encodeIndex writes an ID record's head with the given layout version
// (assetV2; indexV1 only in tests of the upgrade from schema 1). The
// caller appends the document.
func encodeIndex(buf []byte, version byte, ie indexEntry) []byte {
	e := enc{b: buf[:0]}
	e.byte1(version)
	e.fixed64(uint64(ie.firstSeen))
	e.fixed64(ie.hash)
	e.str(ie.account)
	e.str(ie.typ)
	e.str(ie.region)
	e.str(ie.source)
	return e.b
}

// decodeIndex reads the head of an ID record of the given layout version
// and returns it with the offset where the document starts.
func decodeIndex(b []byte, version byte) (indexEntry, int, error) {
	d := dec{b: b}
	if v := d.byte1(); v != version {
		return indexEntry{}, 0, fmt.Errorf("asset index: unknown layout v%d: %w", v, errCorrupt)
	}
	ie := indexEntry{firstSeen: int64(d.fixed64()), hash: d.fixed64()}
	ie.account = d.strCopy()
	ie.typ = d.strCopy()
	ie.region = d.strCopy()
	ie.source = d.strCopy()
	if d.err != nil {
		return indexEntry{}, 0, fmt.Errorf("asset index: %w", d.err)
	}
	return ie, d.off, nil
}

// decodeRecordDoc reads the document of a schema-2 ID record.
func decodeRecordDoc(b []byte) (*asset.Asset, error) {
	_, off, err := decodeIndex(b, assetV2)
	if err != nil {
		return nil, err
	}
	return decodeDoc(b[off:])
}

// patchFirstSeen overwrites FirstSeen in an encoded summary, document or
// index value.
func patchFirstSeen(b []byte, nanos int64) {
	binary.BigEndian.PutUint64(b[firstSeenAt:], uint64(nanos))
}
