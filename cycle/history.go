package cycle

import (
	"time"

	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

// afterScanHistory records the compliance the scan left per group (what
// `vigil diff` compares) and trims asset history by the configured
// retention. Failures are logged: the scan itself stands.
func (c *Cycle) afterScanHistory(scanID string, now time.Time) {
	day := now.UTC().Format("2006-01-02")
	comp := db.ScanCompliance{}
	err := c.Store.AllTrendPoints(func(p rules.TrendPoint) error {
		if p.Day == day {
			if comp[p.Group] == nil {
				comp[p.Group] = map[string]db.GroupScore{}
			}
			comp[p.Group][p.Domain] = db.GroupScore{Overall: p.Overall, Open: p.Open, Assets: p.Assets}
		}
		return nil
	})
	if err == nil {
		err = c.Store.PutScanCompliance(scanID, comp)
	}
	if err != nil {
		c.logf("scan %s: record compliance: %v", scanID, err)
	}
	versions, days, err := c.Config.Retention.Effective()
	if err != nil {
		c.logf("asset history not trimmed: %v", err)
		return
	}
	n, err := c.Store.TrimHistory(db.Retention{Scans: versions, Days: days}, now)
	if err != nil {
		c.logf("trim asset history: %v", err)
		return
	}
	if n > 0 {
		c.logf("asset history: %d versions past retention removed", n)
	}
}

// FixStampPrefix starts the stamp of a change a fix or an undo made (its
// record ID follows), where a scan's stamp has the scan ID.
const FixStampPrefix = "fix "

// fixStamp stamps the asset writes of fix record id.
func fixStamp(id string, at time.Time) db.Stamp { return db.Stamp{Scan: FixStampPrefix + id, At: at} }
