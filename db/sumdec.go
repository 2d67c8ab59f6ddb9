package db

import (
	"bytes"
	"fmt"

	"github.com/vigil-sec/vigil/asset"
)

// sumDecoder decodes summaries compactly, for the million a console may
// hold: a summary's ID, name and packed tags share one new string (a name
// that ends the ID is that part of it), and the low-cardinality fields
// (type, account, region, source) are interned, so a decoded summary costs
// one allocation and no map. With a tag table, a
// summary whose tags an earlier one had refers to that one's tags and
// copies only its ID and name. One decoder serves one goroutine.
type sumDecoder struct {
	buf    []byte
	sorted []byte      // tags of an old record, sorted
	fields [4]interner // type, account, region, source
	tags   *tagTable   // nil: every summary keeps its own tags
	pairs  []asset.TagPair
}

// decodeSummary reads a summary value into s (a one-off decoder).
func decodeSummary(b []byte, s *asset.Summary) error {
	var sd sumDecoder
	return sd.decode(b, s)
}

// decode reads a summary value into s: version, FirstSeen, LastSeen, Hash,
// ID, Type, Name, Account, Region, Source, then the tag count and pairs.
// Pairs written in key order (as encodeSummary does) are copied as they
// are; older records, written in map order, are sorted here.
func (sd *sumDecoder) decode(b []byte, s *asset.Summary) error {
	d := dec{b: b}
	if v := d.byte1(); v != summaryV1 {
		return fmt.Errorf("asset summary: unknown layout v%d: %w", v, errCorrupt)
	}
	s.FirstSeen = d.instant()
	s.LastSeen = d.instant()
	s.Hash = d.fixed64()
	id, typ, name := d.raw(), d.raw(), d.raw()
	acct, reg, src := d.raw(), d.raw(), d.raw()
	n := d.uvarint()
	if n > uint64(len(b)) {
		d.fail()
	}
	tagsAt, sorted := d.off, true
	var prev []byte
	for i := uint64(0); i < n && d.err == nil; i++ {
		k := d.raw()
		d.raw()
		if i > 0 && bytes.Compare(k, prev) <= 0 {
			sorted = false
		}
		prev = k
	}
	if d.err != nil {
		return fmt.Errorf("asset summary: %w", d.err)
	}
	f := &sd.fields
	s.Type, s.Account, s.Region, s.Source = f[0].str(typ), f[1].str(acct), f[2].str(reg), f[3].str(src)
	packed := b[tagsAt:d.off]
	if !sorted {
		packed = sd.sortTags(packed, n)
	}
	var shard *tagShard
	var hash uint64
	shared := false
	if sd.tags != nil && len(packed) > 0 {
		shard, hash, s.Tags, shared = sd.tags.lookup(packed)
		if shared {
			packed = nil
		}
	}
	sd.buf = append(sd.buf[:0], id...)
	// A name that ends the ID (a volume's ID ends with its vol-… name: half
	// the demo inventory) is that part of the ID.
	inID := len(name) > 0 && bytes.HasSuffix(id, name)
	if !inID {
		sd.buf = append(sd.buf, name...)
	}
	nameEnd := len(sd.buf)
	sd.buf = append(sd.buf, packed...)
	all := string(sd.buf)
	s.ID = all[:len(id)]
	s.Name = all[len(id):nameEnd]
	if inID {
		s.Name = s.ID[len(id)-len(name):]
	}
	if shared {
		return nil
	}
	tags, err := asset.ParseTags(all[nameEnd:])
	if err != nil {
		return fmt.Errorf("asset summary %s: %w", asset.Clean(s.ID), errCorrupt)
	}
	if shard != nil {
		tags = shard.add(hash, tags)
	}
	s.Tags = tags
	return nil
}

// sortTags returns the n pairs in raw (well formed, checked by the caller)
// packed in key order, in the decoder's scratch space.
func (sd *sumDecoder) sortTags(raw []byte, n uint64) []byte {
	d := newDec(raw)
	sd.pairs = sd.pairs[:0]
	for range n {
		k := d.str()
		sd.pairs = append(sd.pairs, asset.TagPair{Key: k, Value: d.str()})
	}
	sd.sorted = asset.AppendTags(sd.sorted[:0], sd.pairs)
	clear(sd.pairs) // keep no reference to the record
	return sd.sorted
}

// raw reads a length-prefixed field without copying it.
func (d *dec) raw() []byte {
	n := d.uvarint()
	if n > uint64(len(d.b)-d.off) {
		d.fail()
		return nil
	}
	r := d.b[d.off : d.off+int(n)]
	d.off += int(n)
	return r
}
