package cycle

import (
	"fmt"
	"time"

	"github.com/vigil-sec/vigil/rules"
)

// DefaultBulkMax is how many fixes one bulk request applies unless told
// otherwise: `vigil fix --max` and the console's selection share it.
const DefaultBulkMax = 10

// TypedConfirmAbove is the number of violations above which an action on
// many of them needs the count typed, not a y.
const TypedConfirmAbove = 10

// BulkCap is the bulk-fix rule every front end applies: of n requested
// fixes at most max run. It returns how many to fix, or an error naming
// what to pass when max is below 1.
func BulkCap(n, max int) (int, error) {
	if max <= 0 {
		return 0, fmt.Errorf("--max %d: give a positive number of fixes", max)
	}
	return min(n, max), nil
}

// Impact is what an action on violations covers before it is confirmed:
// how many violations, and how many of them are critical or high.
type Impact struct {
	Violations int `json:"violations"`
	Critical   int `json:"critical"`
	High       int `json:"high"`
}

// ImpactOf counts the violations an action covers by severity.
func ImpactOf(vs []rules.Violation) Impact {
	var im Impact
	for i := range vs {
		im.add(&vs[i])
	}
	return im
}

func (im *Impact) add(v *rules.Violation) {
	im.Violations++
	switch v.Severity {
	case rules.SeverityCritical:
		im.Critical++
	case rules.SeverityHigh:
		im.High++
	}
}

// NeedsTypedConfirm is the confirmation rule of exceptions and bulk
// actions: one that covers a critical violation or more than
// TypedConfirmAbove violations needs the count typed.
func (im Impact) NeedsTypedConfirm() bool {
	return im.Critical > 0 || im.Violations > TypedConfirmAbove
}

// ExceptionImpact counts the open violations among vs that exception e
// would exempt if it were in force now.
// doc reads an asset's document for sticky criteria (nil: the violation's
// own fields).
func ExceptionImpact(e rules.Exception, vs []rules.Violation, doc func(assetID string) map[string]any, now time.Time) Impact {
	e.Expires, e.RevokedAt = time.Time{}, nil // judged as if it were in force
	docs := map[string]map[string]any{}
	var im Impact
	for i := range vs {
		v := &vs[i]
		if v.Status != rules.StatusOpen {
			continue
		}
		var d map[string]any
		if doc != nil && e.Kind == rules.ExceptionSticky && e.Criteria != nil {
			var ok bool
			if d, ok = docs[v.AssetID]; !ok {
				d = doc(v.AssetID)
				docs[v.AssetID] = d
			}
		}
		if rules.Covers(&e, v, d, now) {
			im.add(v)
		}
	}
	return im
}
