package db

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"

	"github.com/vigil-sec/vigil/asset"
)

// FNV-1a 64-bit, as hash/fnv computes it.
const (
	fnvOffset uint64 = 14695981039346656037
	fnvPrime  uint64 = 1099511628211
)

// hasher computes asset.HashDoc's value without its per-value allocations:
// plain ASCII strings, integers, booleans and ordinary floats are written
// the way encoding/json would write them; anything else goes through
// encoding/json exactly as asset.HashDoc does. A test holds the two equal.
type hasher struct {
	h    uint64
	num  []byte   // scratch for number formatting
	keys []string // scratch for sorting map keys
}

func (h *hasher) write(b []byte) {
	x := h.h
	for _, c := range b {
		x ^= uint64(c)
		x *= fnvPrime
	}
	h.h = x
}

func (h *hasher) writeString(s string) {
	x := h.h
	for i := 0; i < len(s); i++ {
		x ^= uint64(s[i])
		x *= fnvPrime
	}
	h.h = x
}

func (h *hasher) byte1(c byte) { h.h = (h.h ^ uint64(c)) * fnvPrime }

// summaryOf returns a.Summary() using the fast hash.
func (h *hasher) summaryOf(a *asset.Asset) asset.Summary {
	return asset.Summary{
		ID: a.ID, Type: a.Type, Name: a.Name, Account: a.Account, Region: a.Region,
		Tags: asset.NewTags(a.Tags), Source: a.Source, FirstSeen: asset.InstantOf(a.FirstSeen), LastSeen: asset.InstantOf(a.LastSeen),
		Hash: h.hashDoc(a.Attrs, a.Tags, a.Name),
	}
}

// hashDoc equals asset.HashDoc(attrs, tags, name).
func (h *hasher) hashDoc(attrs map[string]any, tags map[string]string, name string) uint64 {
	h.h = fnvOffset
	h.keys = h.keys[:0]
	h.value(attrs)
	for k := range tags {
		h.keys = append(h.keys, k)
	}
	keys := h.keys
	slices.Sort(keys)
	for _, k := range keys {
		h.writeString(k)
		h.byte1(0)
		h.writeString(tags[k])
		h.byte1(1)
	}
	h.keys = keys[:0]
	h.writeString(name)
	return h.h
}

func (h *hasher) value(v any) {
	switch t := v.(type) {
	case map[string]any:
		// Keys are sorted in a scratch slice; nested maps use the space
		// after this map's keys and give it back.
		start := len(h.keys)
		for k := range t {
			h.keys = append(h.keys, k)
		}
		keys := h.keys[start:]
		slices.Sort(keys)
		h.byte1('{')
		for _, k := range keys {
			h.writeString(k)
			h.byte1(':')
			h.value(t[k])
			h.byte1(',')
		}
		h.byte1('}')
		h.keys = h.keys[:start]
	case []any:
		h.byte1('[')
		for _, e := range t {
			h.value(e)
			h.byte1(',')
		}
		h.byte1(']')
	case string:
		if !h.plainString(t) {
			h.viaJSON(t)
		}
	case int64:
		h.num = strconv.AppendInt(h.num[:0], t, 10)
		h.write(h.num)
	case int:
		h.num = strconv.AppendInt(h.num[:0], int64(t), 10)
		h.write(h.num)
	case bool:
		if t {
			h.writeString("true")
		} else {
			h.writeString("false")
		}
	case nil:
		h.writeString("null")
	case float64:
		if a := math.Abs(t); t != 0 && (a < 1e-6 || a >= 1e21) || math.IsNaN(t) || math.IsInf(t, 0) {
			h.viaJSON(t)
			return
		}
		h.num = strconv.AppendFloat(h.num[:0], t, 'f', -1, 64)
		h.write(h.num)
	default:
		h.viaJSON(t)
	}
}

// plainString writes s in quotes and reports true when encoding/json
// writes s as itself (printable ASCII without the characters it escapes);
// otherwise it writes nothing and reports false. One pass checks and hashes.
func (h *hasher) plainString(s string) bool {
	x := (h.h ^ '"') * fnvPrime
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
		x ^= uint64(c)
		x *= fnvPrime
	}
	h.h = (x ^ '"') * fnvPrime
	return true
}

// viaJSON writes what asset.HashDoc writes for a value: its JSON encoding,
// or nothing when it has none.
func (h *hasher) viaJSON(v any) {
	b, _ := json.Marshal(v)
	h.write(b)
}
