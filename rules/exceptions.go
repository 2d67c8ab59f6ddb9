package rules

import (
	"fmt"
	"time"

	"github.com/vigil-sec/vigil/groups"
)

// Covers reports whether exception e exempts violation v at now. doc is the
// asset's document (asset.Asset.Doc), which a sticky exception's criteria
// select on. An expired or revoked exception covers nothing.
func Covers(e *Exception, v *Violation, doc map[string]any, now time.Time) bool {
	if e == nil || !e.Active(now) {
		return false
	}
	switch e.Kind {
	case ExceptionIndividual:
		return e.ViolationID != "" && e.ViolationID == v.ID
	case ExceptionSticky:
		if !policyListed(e.PolicyIDs, v.PolicyID) {
			return false
		}
		if e.Criteria == nil {
			return true
		}
		m, err := groups.Compile(*e.Criteria)
		return err == nil && m.Match(docOrViolation(doc, v))
	}
	return false
}

func policyListed(ids []string, id string) bool {
	if len(ids) == 0 {
		return true
	}
	for _, p := range ids {
		if p == id {
			return true
		}
	}
	return false
}

// docOrViolation falls back to the identity fields a violation records
// when the asset's document is not at hand.
func docOrViolation(doc map[string]any, v *Violation) map[string]any {
	if doc != nil {
		return doc
	}
	return map[string]any{
		"id": v.AssetID, "type": v.AssetType, "name": v.AssetName,
		"account": v.Account, "region": v.Region, "tags": map[string]any{},
	}
}

// ValidateException reports what is wrong with an exception before it is
// stored: kind, target, reason, author and an expiry after now.
func ValidateException(e *Exception, now time.Time) error {
	switch e.Kind {
	case ExceptionIndividual:
		if e.ViolationID == "" {
			return fmt.Errorf("exception: an individual exception needs a violation ID")
		}
	case ExceptionSticky:
		if e.Criteria == nil && len(e.PolicyIDs) == 0 {
			return fmt.Errorf("exception: a sticky exception needs criteria or policy IDs (it would exempt everything)")
		}
		if e.Criteria != nil {
			if _, err := groups.Compile(*e.Criteria); err != nil {
				return fmt.Errorf("exception criteria: %w", err)
			}
		}
	default:
		return fmt.Errorf("exception: kind %q must be %q or %q", e.Kind, ExceptionIndividual, ExceptionSticky)
	}
	switch {
	case e.Reason == "":
		return fmt.Errorf("exception: a reason is required")
	case e.Author == "":
		return fmt.Errorf("exception: an author is required")
	case e.Expires.IsZero():
		return fmt.Errorf("exception: an expiry is required")
	case !e.Expires.After(now):
		return fmt.Errorf("exception: expiry %s is not in the future", e.Expires.Format(time.RFC3339))
	}
	return nil
}

// exceptionSet is the active exceptions with sticky criteria compiled once.
type exceptionSet struct {
	individual map[string]*Exception
	sticky     []stickyException
}

type stickyException struct {
	e *Exception
	m *groups.Matcher // nil: every asset
}

// newExceptionSet keeps the exceptions active at now; sticky ones whose
// criteria do not compile are dropped (ValidateException refuses them).
func newExceptionSet(es []Exception, now time.Time) *exceptionSet {
	s := &exceptionSet{individual: map[string]*Exception{}}
	for i := range es {
		e := &es[i]
		if !e.Active(now) {
			continue
		}
		switch e.Kind {
		case ExceptionIndividual:
			s.individual[e.ViolationID] = e
		case ExceptionSticky:
			st := stickyException{e: e}
			if e.Criteria != nil {
				m, err := groups.Compile(*e.Criteria)
				if err != nil {
					continue
				}
				st.m = m
			}
			s.sticky = append(s.sticky, st)
		}
	}
	return s
}

// find returns the exception covering v, or nil.
func (s *exceptionSet) find(v *Violation, doc func() map[string]any) *Exception {
	if e := s.individual[v.ID]; e != nil {
		return e
	}
	for _, st := range s.sticky {
		if !policyListed(st.e.PolicyIDs, v.PolicyID) {
			continue
		}
		if st.m == nil || st.m.Match(docOrViolation(doc(), v)) {
			return st.e
		}
	}
	return nil
}
