package snapshot

import (
	"fmt"

	json "github.com/goccy/go-json"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// Visitor receives a snapshot's decoded records; nil fields skip a kind
// (it is still decoded and checked).
type Visitor struct {
	Manifest    func(*Manifest) error
	Scan        func(*asset.Scan) error
	Policy      func(*Policy) error
	PolicyState func(*rules.PolicyState) error
	Group       func(*groups.Group) error
	Exception   func(*rules.Exception) error
	Trend       func(*rules.TrendPoint) error
	Asset       func(*asset.Asset) error
	Violation   func(*rules.Violation) error
}

// Verify reads the whole snapshot, decoding every record, and checks its
// length and checksum. Nothing is written; a nil error means Read will
// see the same content (unless the file changes meanwhile, which Read
// detects at its end).
func (f *File) Verify() (*Manifest, error) {
	var m *Manifest
	err := f.Read(Visitor{Manifest: func(x *Manifest) error { m = x; return nil }})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Read decodes every record and hands it to v, then checks length and
// checksum. Assets arrive grouped by scan unit: Read refuses a file where
// a unit's assets are not contiguous.
func (f *File) Read(v Visitor) error {
	seenUnits := map[asset.UnitKey]bool{}
	var cur asset.UnitKey
	n := 0
	return f.records(func(k Kind, p []byte) error {
		n++
		bad := func(what string, err error) error {
			return fmt.Errorf("%s: %w (record %d, %s: %v)", f.Name, ErrDamaged, n, what, err)
		}
		switch k {
		case KindManifest:
			var m Manifest
			if err := json.Unmarshal(p, &m); err != nil {
				return bad("manifest", err)
			}
			return call(v.Manifest, &m)
		case KindScan:
			return decodeJSON(p, v.Scan, func(x *asset.Scan) error {
				if x.ID == "" {
					return bad("scan", fmt.Errorf("no ID"))
				}
				return nil
			}, bad, "scan")
		case KindPolicy:
			return decodeJSON(p, v.Policy, func(x *Policy) error {
				if x.ID == "" || x.YAML == "" {
					return bad("policy", fmt.Errorf("no ID or YAML"))
				}
				return nil
			}, bad, "policy")
		case KindPolicyState:
			return decodeJSON(p, v.PolicyState, nil, bad, "policy state")
		case KindGroup:
			return decodeJSON(p, v.Group, func(x *groups.Group) error {
				if x.Name == "" {
					return bad("group", fmt.Errorf("no name"))
				}
				return nil
			}, bad, "group")
		case KindException:
			return decodeJSON(p, v.Exception, func(x *rules.Exception) error {
				if x.ID == "" {
					return bad("exception", fmt.Errorf("no ID"))
				}
				return nil
			}, bad, "exception")
		case KindTrend:
			return decodeJSON(p, v.Trend, nil, bad, "trend point")
		case KindViolation:
			return decodeJSON(p, v.Violation, func(x *rules.Violation) error {
				if x.ID == "" || x.PolicyID == "" || x.AssetID == "" {
					return bad("violation", fmt.Errorf("no ID, policy or asset"))
				}
				return nil
			}, bad, "violation")
		case KindAsset:
			a, err := db.DecodeDocument(p)
			if err != nil {
				return bad("asset", err)
			}
			u := UnitOf(a)
			if u != cur {
				if seenUnits[u] {
					return bad("asset", fmt.Errorf("unit %s is not contiguous", u))
				}
				seenUnits[u] = true
				cur = u
			}
			return call(v.Asset, a)
		default:
			return bad("kind", fmt.Errorf("unknown record kind %d", k))
		}
	})
}

func call[T any](fn func(*T) error, x *T) error {
	if fn == nil {
		return nil
	}
	return fn(x)
}

// decodeJSON decodes one JSON record, checks it and hands it on.
func decodeJSON[T any](p []byte, fn func(*T) error, check func(*T) error,
	bad func(string, error) error, what string) error {
	var x T
	if err := json.Unmarshal(p, &x); err != nil {
		return bad(what, err)
	}
	if check != nil {
		if err := check(&x); err != nil {
			return err
		}
	}
	return call(fn, &x)
}

// UnitOf is the scan unit an asset belongs to: its account, type and
// region, or the global region for types listed once per account.
func UnitOf(a *asset.Asset) asset.UnitKey {
	r := a.Region
	if asset.GlobalTypes[a.Type] {
		r = asset.Global
	}
	return asset.UnitKey{Account: a.Account, Region: r, Type: a.Type}
}
