package db

import (
	"fmt"

	json "github.com/goccy/go-json"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/rules"
)

// EncodeDocument appends the store's binary encoding of a full asset to
// buf: the same layout the store keeps, so a saved scan (package snapshot)
// round-trips integers, floats and tags exactly.
func EncodeDocument(buf []byte, a *asset.Asset) ([]byte, error) {
	out, err := encodeDoc(buf, a)
	if err != nil {
		return nil, fmt.Errorf("encode document: %w", err)
	}
	return out, nil
}

// DecodeDocument reads what EncodeDocument wrote. It refuses malformed
// input (truncated fields, unknown layout, NUL bytes in identity fields)
// without panicking: a saved scan is untrusted input.
func DecodeDocument(b []byte) (*asset.Asset, error) {
	a, err := decodeDoc(b)
	if err != nil {
		return nil, err
	}
	if err := checkIdentity(a); err != nil {
		return nil, fmt.Errorf("asset document: %w", err)
	}
	return a, nil
}

// AllTrendPoints calls fn for every stored trend point, in key order
// (group, domain, day).
func (s *Store) AllTrendPoints(fn func(rules.TrendPoint) error) error {
	return s.eachJSON([]byte(pfxTrend), scanOpts{}, func(_, raw []byte) (bool, error) {
		var p rules.TrendPoint
		if err := json.Unmarshal(raw, &p); err != nil {
			return false, fmt.Errorf("trend point: %w", err)
		}
		return true, fn(p)
	})
}
