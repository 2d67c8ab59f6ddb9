package config

import "fmt"

// Default retention of replaced asset documents (asset history).
const (
	DefaultRetentionVersions = 30 // scans
	DefaultRetentionDays     = 90
)

// Retention says how long vigil keeps the documents a scan replaced or
// deleted (asset history, scan diffs): the versions of the last Versions
// scans or of the last Days days, whichever keeps more. 0 takes the default.
type Retention struct {
	Versions int `yaml:"versions"`
	Days     int `yaml:"days"`
}

// Effective returns the scans and days to keep, defaults filled in, or an
// error naming the setting when one is negative.
func (r Retention) Effective() (versions, days int, err error) {
	if r.Versions < 0 || r.Days < 0 {
		return 0, 0, fmt.Errorf("config: retention.versions and retention.days must be 0 (default) or more, "+
			"got %d and %d", r.Versions, r.Days)
	}
	versions, days = r.Versions, r.Days
	if versions == 0 {
		versions = DefaultRetentionVersions
	}
	if days == 0 {
		days = DefaultRetentionDays
	}
	return versions, days, nil
}
