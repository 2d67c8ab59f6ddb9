package rules

import "sort"

// sortViolations orders violations by policy then asset.
func sortViolations(vs []Violation) {
	sort.Slice(vs, func(i, j int) bool {
		if vs[i].PolicyID != vs[j].PolicyID {
			return vs[i].PolicyID < vs[j].PolicyID
		}
		return vs[i].AssetID < vs[j].AssetID
	})
}
