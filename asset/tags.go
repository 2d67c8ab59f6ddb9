package asset

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
)

// Tags is an immutable set of key=value tags, packed into one string in key
// order: each key and value as a uvarint length followed by its bytes. A
// summary's tags are a substring of the one string its other text lives in,
// so a million summaries hold no map each. The zero value has no tags; two
// Tags with the same pairs are == (the form is canonical).
type Tags struct{ s string }

// NewTags packs the pairs of m.
func NewTags(m map[string]string) Tags {
	if len(m) == 0 {
		return Tags{}
	}
	pairs := make([]TagPair, 0, len(m))
	for k, v := range m {
		pairs = append(pairs, TagPair{k, v})
	}
	return Tags{string(AppendTags(nil, pairs))}
}

// TagsOf packs the given pairs (sorting them in place); of pairs with the
// same key the first is kept.
func TagsOf(pairs ...TagPair) Tags {
	if len(pairs) == 0 {
		return Tags{}
	}
	return Tags{string(AppendTags(nil, pairs))}
}

// TagPair is one key and value, as AppendTags takes them.
type TagPair struct{ Key, Value string }

// AppendTags appends the packed form of pairs to dst, sorting pairs by key
// in place; of pairs with the same key only the first (after a stable sort)
// is kept. ParseTags accepts what it returns, so a decoder can pack tags
// into the buffer that holds a record's other strings.
func AppendTags(dst []byte, pairs []TagPair) []byte {
	slices.SortStableFunc(pairs, func(a, b TagPair) int { return strings.Compare(a.Key, b.Key) })
	for i, p := range pairs {
		if i > 0 && p.Key == pairs[i-1].Key {
			continue
		}
		dst = binary.AppendUvarint(dst, uint64(len(p.Key)))
		dst = append(dst, p.Key...)
		dst = binary.AppendUvarint(dst, uint64(len(p.Value)))
		dst = append(dst, p.Value...)
	}
	return dst
}

// errTags reports a packed string that AppendTags did not make.
var errTags = errors.New("malformed packed tags")

// ParseTags wraps s, the output of AppendTags, without copying it; it
// checks that s is well formed and in strict key order.
func ParseTags(s string) (Tags, error) {
	prev, first := "", true
	for off := 0; off < len(s); {
		k, next, ok := field(s, off)
		if !ok {
			return Tags{}, errTags
		}
		if !first && k <= prev {
			return Tags{}, fmt.Errorf("tag %q out of order: %w", Clean(k), errTags)
		}
		if _, next, ok = field(s, next); !ok {
			return Tags{}, errTags
		}
		prev, first, off = k, false, next
	}
	return Tags{s}, nil
}

// field reads the length-prefixed string at off and returns it and the
// offset after it.
func field(s string, off int) (string, int, bool) {
	n, w := uvarint(s[off:])
	if w <= 0 || n > uint64(len(s)-off-w) {
		return "", 0, false
	}
	start := off + w
	return s[start : start+int(n)], start + int(n), true
}

// uvarint decodes a uvarint at the start of s without converting s to bytes.
func uvarint(s string) (uint64, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		if c < 0x80 {
			return x | uint64(c)<<shift, i + 1
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	return 0, 0
}

// All yields every pair in key order.
func (t Tags) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for off := 0; off < len(t.s); {
			k, next, _ := field(t.s, off)
			v, next, _ := field(t.s, next)
			if !yield(k, v) {
				return
			}
			off = next
		}
	}
}

// Get returns the value of key k and whether the tag is set.
func (t Tags) Get(k string) (string, bool) {
	for key, v := range t.All() {
		if key == k {
			return v, true
		}
		if key > k {
			break
		}
	}
	return "", false
}

// Len is the number of tags.
func (t Tags) Len() int {
	n := 0
	for range t.All() {
		n++
	}
	return n
}

// Packed returns the packed form, as AppendTags writes it.
func (t Tags) Packed() string { return t.s }

// IsZero reports whether there are no tags (it lets `omitzero` leave an
// empty tag set out of JSON, as `omitempty` did for the map).
func (t Tags) IsZero() bool { return t.s == "" }

// Map returns the tags as a new map (nil when there are none).
func (t Tags) Map() map[string]string {
	if t.s == "" {
		return nil
	}
	m := make(map[string]string, t.Len())
	for k, v := range t.All() {
		m[k] = v
	}
	return m
}

// MarshalJSON writes the tags as a JSON object in key order, as a
// map[string]string marshals. Strings are not HTML-escaped here: the
// calling encoder escapes them when its SetEscapeHTML asks for it, so the
// output matches a map's either way.
func (t Tags) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for k, v := range t.All() {
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(k); err != nil {
			return nil, fmt.Errorf("encode tag key: %w", err)
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		buf.WriteByte(':')
		if err := enc.Encode(v); err != nil {
			return nil, fmt.Errorf("encode tag %s: %w", Clean(k), err)
		}
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON reads a JSON object of string values (or null).
func (t *Tags) UnmarshalJSON(b []byte) error {
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("decode tags: %w", err)
	}
	*t = NewTags(m)
	return nil
}
