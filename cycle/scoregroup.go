package cycle

import (
	"hash/maphash"
	"slices"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/rules"
)

// scoreGroup computes a group's compliance with PacBot's math
// (rules.ComputeScores) from its members and the violations (closed ones
// are skipped), for the console and the reports. Membership is looked up
// in a sorted array of the members' ID hashes (8 bytes a member, cache
// friendly) instead of a map of every member, and the violations are
// passed on as they are, not copied, when all of them belong to the group
// (group "all").
func (c *Cycle) scoreGroup(ps []*rules.Policy, name, domain string, mem []*asset.Summary, vs []rules.Violation, evalErrs []rules.PolicyErrors) rules.Scores {
	byType := map[string]int{}
	for _, s := range mem {
		byType[s.Type]++
	}
	set := newIDSet(mem)
	var errs map[string][]string
	if len(evalErrs) > 0 {
		errs = rules.ErroredIn(evalErrs, set.has)
	}
	in := func(v *rules.Violation) bool { return v.Status != rules.StatusClosed && set.has(v.AssetID) }
	all := true
	for i := range vs {
		if !in(&vs[i]) {
			all = false
			break
		}
	}
	if all {
		return c.scoreCounts(ps, name, domain, byType, vs, errs)
	}
	var mine []rules.Violation
	for i := range vs {
		if in(&vs[i]) {
			mine = append(mine, vs[i])
		}
	}
	return c.scoreCounts(ps, name, domain, byType, mine, errs)
}

// idSet answers "is this asset a member" for a set of summaries by a
// 64-bit hash of the ID under a seed of its own: a sorted array of 8-byte
// hashes is searched without touching the summaries. Two IDs of an estate
// share a hash with a probability of about n²/2⁶⁴ (10⁻⁹ at a million
// assets), which would count one violation to a group it is not in.
type idSet struct {
	seed   maphash.Seed
	hashes []uint64 // sorted
}

func newIDSet(mem []*asset.Summary) *idSet {
	s := &idSet{seed: maphash.MakeSeed(), hashes: make([]uint64, len(mem))}
	for i, m := range mem {
		s.hashes[i] = maphash.String(s.seed, m.ID)
	}
	slices.Sort(s.hashes)
	return s
}

func (s *idSet) has(id string) bool {
	_, ok := slices.BinarySearch(s.hashes, maphash.String(s.seed, id))
	return ok
}
