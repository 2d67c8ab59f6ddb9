// Package snapshot is vigil's saved-scan file (.vgl): one portable file
// holding a store's state (assets with full documents, violations with
// history, exceptions, groups, scan records, the policies' YAML, trends)
// behind a magic header, zstd compression and a SHA-256 over the content
// that is checked before anything is written anywhere.
//
// Layout:
//
//	header   "VIGILSNP" | format u32 | len u16 | writer's vigil version
//	body     zstd stream of records: kind u8 | uvarint length | payload
//	trailer  content length u64 | SHA-256 of the content | "VGLEND\r\n"
//
// Integers are big-endian. The first record is the manifest, the last one
// is an end record; assets are grouped by scan unit.
package snapshot

import (
	"errors"
	"time"
)

// Extension is the suggested file name extension of a saved scan.
const Extension = ".vgl"

// FormatVersion is the newest snapshot format this build writes and reads.
// Files of an older format are read; newer ones are refused with the
// version of vigil that wrote them.
const FormatVersion = 1

// magic opens every snapshot; endMagic closes it.
const (
	magic    = "VIGILSNP"
	endMagic = "VGLEND\r\n"
)

// Fixed sizes of the framing.
const (
	headerFixed = len(magic) + 4 + 2 // magic, format, version length
	trailerSize = 8 + 32 + len(endMagic)
	maxVersion  = 64 // bytes of the writer's version string
)

// Limits that keep a hostile file from exhausting memory or disk.
const (
	// DefaultMaxContent caps the decoded content of one file.
	DefaultMaxContent int64 = 64 << 30
	// maxRatio caps declared content length per compressed byte: a file
	// that claims far more than zstd can plausibly produce from its body is
	// refused before it is decompressed (a zip bomb).
	maxRatio = 1000
	// maxRecord caps one record's payload.
	maxRecord = 256 << 20
)

// Kind tags a record in the content stream.
type Kind byte

// Record kinds. Values are part of the format: never renumber.
const (
	KindManifest    Kind = 1
	KindScan        Kind = 2
	KindPolicy      Kind = 3
	KindPolicyState Kind = 4
	KindGroup       Kind = 5
	KindException   Kind = 6
	KindTrend       Kind = 7
	KindAsset       Kind = 8
	KindViolation   Kind = 9
	KindEnd         Kind = 0xff
)

// ErrNotSnapshot is wrapped by errors about files that are not vigil
// snapshots at all (wrong magic, too short).
var ErrNotSnapshot = errors.New("not a vigil snapshot")

// ErrDamaged is wrapped by errors about snapshots whose content does not
// match their checksum, length or record framing.
var ErrDamaged = errors.New("snapshot damaged")

// Manifest describes a snapshot: who wrote it, from what, and what it holds.
type Manifest struct {
	Format        int            `json:"format"`
	VigilVersion  string         `json:"vigil_version"`
	SchemaVersion int            `json:"schema_version"`
	CreatedAt     time.Time      `json:"created_at"`
	Group         string         `json:"group"` // "all" unless exported with --group
	Shard         string         `json:"shard,omitempty"`
	Accounts      []string       `json:"accounts"`
	Regions       []string       `json:"regions"`
	Counts        map[string]int `json:"counts"` // assets per type
	Assets        int            `json:"assets"`
	Violations    int            `json:"violations"`
	Exceptions    int            `json:"exceptions"`
	Groups        int            `json:"groups"`
	Scans         int            `json:"scans"`
	Policies      int            `json:"policies"`
	Trend         int            `json:"trend_points"`
}

// Policy is one policy file as it judged the exported store.
type Policy struct {
	ID      string `json:"id"`
	File    string `json:"file"` // base name the YAML came from
	Builtin bool   `json:"builtin,omitempty"`
	YAML    string `json:"yaml"`
}
