package asset

import (
	"encoding/json"
	"hash/fnv"
	"sort"
)

// HashDoc returns a stable 64-bit hash of an attribute document together with
// the asset's tags and name. Maps are hashed in key order so the same content
// always gives the same hash.
func HashDoc(attrs map[string]any, tags map[string]string, name string) uint64 {
	h := fnv.New64a()
	writeValue(h, attrs)
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		h.Write([]byte(k))
		h.Write([]byte{0})
		h.Write([]byte(tags[k]))
		h.Write([]byte{1})
	}
	h.Write([]byte(name))
	return h.Sum64()
}

type byteWriter interface{ Write([]byte) (int, error) }

func writeValue(h byteWriter, v any) {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		h.Write([]byte{'{'})
		for _, k := range keys {
			h.Write([]byte(k))
			h.Write([]byte{':'})
			writeValue(h, t[k])
			h.Write([]byte{','})
		}
		h.Write([]byte{'}'})
	case []any:
		h.Write([]byte{'['})
		for _, e := range t {
			writeValue(h, e)
			h.Write([]byte{','})
		}
		h.Write([]byte{']'})
	default:
		b, _ := json.Marshal(t)
		h.Write(b)
	}
}
