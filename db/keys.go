package db

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// Key prefixes. Fields inside a key are separated by sep, which identity
// fields may not contain.
const (
	keySchema    = "meta/schema"
	pfxSummary   = "a/s/"  // type sep account sep region sep id -> summary
	pfxDoc       = "a/d/"  // schema 1 only: type sep account sep region sep id -> full document
	pfxIndex     = "a/i/"  // id -> ID record: indexEntry, then the full document
	pfxScanTime  = "sc/t/" // started (8 bytes) id -> scan JSON
	pfxScanID    = "sc/i/" // id -> scan time key
	pfxViolation = "v/r/"  // id -> violation JSON
	pfxVioPolicy = "v/p/"  // policy sep id -> (empty)
	pfxVioAsset  = "v/a/"  // asset sep id -> (empty)
	pfxException = "x/"    // id -> exception JSON
	pfxFixTime   = "f/t/"  // at (8 bytes) id -> fix record JSON
	pfxFixID     = "f/i/"  // id -> fix time key
	pfxTrend     = "t/"    // group sep domain sep day -> trend point JSON
	pfxGroup     = "g/"    // name -> group JSON
	pfxPolicy    = "p/"    // policy id -> policy state JSON
	pfxEval      = "e/"    // bucket (2 bytes) -> evaluation marks of its asset IDs
	pfxAudit     = "au/"   // at (8 bytes) seq (8 bytes) -> audit JSON
)

const sep = "\x00"

func key(parts ...string) []byte {
	n := 0
	for _, p := range parts {
		n += len(p) + 1
	}
	b := make([]byte, 0, n)
	for i, p := range parts {
		if i > 1 {
			b = append(b, sep...)
		}
		b = append(b, p...)
	}
	return b
}

// summaryKey is the key of an asset's summary; a unit's members share a
// prefix (see unitPrefix).
func summaryKey(account, typ, region, id string) []byte {
	return key(pfxSummary, typ, account, region, id)
}

// docKey is where schema 1 kept an asset's full document.
func docKey(account, typ, region, id string) []byte {
	return key(pfxDoc, typ, account, region, id)
}

// unitPrefix is the key prefix of every summary a unit contains: type and
// account, plus the region unless the unit is global.
func unitPrefix(u asset.UnitKey) []byte {
	if u.Region == asset.Global {
		return append(key(pfxSummary, u.Type, u.Account), sep...)
	}
	return append(key(pfxSummary, u.Type, u.Account, u.Region), sep...)
}

func indexKey(id string) []byte { return key(pfxIndex, id) }

// timeKey is prefix + 8 big-endian bytes of t + id: keys sort by time.
func timeKey(prefix string, t time.Time, id string) []byte {
	b := make([]byte, 0, len(prefix)+8+len(id))
	b = append(b, prefix...)
	b = binary.BigEndian.AppendUint64(b, uint64(timeNanos(t))^(1<<63))
	return append(b, id...)
}

// prefixEnd is a key after every time-keyed record under the prefix, where
// reverse iteration starts. (Time keys never start with 16 0xff bytes.)
func prefixEnd(prefix []byte) []byte {
	end := append([]byte{}, prefix...)
	for range 16 {
		end = append(end, 0xff)
	}
	return end
}

// checkIdentity refuses identity fields that would break the key layout.
func checkIdentity(a *asset.Asset) error {
	if a.ID == "" {
		return fmt.Errorf("asset of type %q has no ID", a.Type)
	}
	for _, f := range [...]string{a.ID, a.Type, a.Account, a.Region} {
		if strings.Contains(f, sep) {
			return fmt.Errorf("asset %q: identity fields may not contain NUL bytes", asset.Clean(a.ID))
		}
	}
	return nil
}
