package demo

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// normalize turns a state into its JSON form (numbers float64, lists []any),
// so a state read now compares equal to one that went through the store.
func normalize(m map[string]any) map[string]any {
	out, _ := normalizeValue(m).(map[string]any)
	return out
}

// normalizeValue is normalize for any JSON-compatible value.
func normalizeValue(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Sprint(v)
	}
	return out
}

// intify turns whole float64 numbers back into int64, the asset contract's
// integers, so a value from a JSON record can go back into a document.
func intify(v any) any {
	return walk(v, func(x any) any {
		if f, ok := x.(float64); ok && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return int64(f)
		}
		return x
	})
}

// deepCopy copies a JSON-compatible value, keeping its number types.
func deepCopy(v any) any { return walk(v, func(x any) any { return x }) }

// walk copies a JSON-compatible value's lists and maps, passing every other
// value through leaf.
func walk(v any, leaf func(any) any) any {
	switch t := v.(type) {
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = walk(e, leaf)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = walk(e, leaf)
		}
		return out
	}
	return leaf(v)
}

// copyAsset returns a copy of an asset that shares nothing with it.
func copyAsset(a *asset.Asset) *asset.Asset {
	n := *a
	n.Attrs, _ = deepCopy(a.Attrs).(map[string]any)
	if a.Tags != nil {
		n.Tags = make(map[string]string, len(a.Tags))
		for k, v := range a.Tags {
			n.Tags[k] = v
		}
	}
	return &n
}

// setPath sets a dotted attribute path of a document, where every parent exists.
func setPath(doc map[string]any, path string, v any) error {
	parts := strings.Split(path, ".")
	m := doc
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			return fmt.Errorf("attribute %s has no object %s", path, p)
		}
		m = next
	}
	m[parts[len(parts)-1]] = v
	return nil
}

// safetySnapshot is the snapshot a volume deletion takes first, as the
// snapshot collector would list it.
func safetySnapshot(vol *asset.Asset, now time.Time) asset.Asset {
	volID := asset.String(vol.Attrs["volume_id"])
	h := fnv.New64a()
	h.Write([]byte(vol.ID))
	id := fmt.Sprintf("snap-%017x", h.Sum64())
	arn := "arn:aws:ec2:" + vol.Region + ":" + vol.Account + ":snapshot/" + id
	return asset.Asset{ID: arn, Type: asset.TypeSnapshot, Name: id, Account: vol.Account, Region: vol.Region,
		Tags: map[string]string{}, Source: vol.Source, FirstSeen: now, LastSeen: now, Attrs: map[string]any{
			"snapshot_id": id, "volume_id": volID, "size_gb": vol.Attrs["size_gb"], "encrypted": vol.Attrs["encrypted"],
			"kms_key_id": vol.Attrs["kms_key_id"], "state": "completed", "start_time": now.UTC().Format(time.RFC3339),
			"description": "vigil: before deleting " + volID, "public": false, "shared_with": []any{},
		}}
}
