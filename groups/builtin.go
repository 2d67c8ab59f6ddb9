package groups

import "sort"

// Builtins returns the groups every installation has: `all`, one per
// account (`account:<id>`) and one per region (`region:<name>`).
func Builtins(accounts, regions []string) []Group {
	out := []Group{{Name: All, Description: "every asset", Builtin: true, Source: "builtin"}}
	for _, a := range uniqueSorted(accounts) {
		out = append(out, Group{
			Name: "account:" + a, Description: "assets of account " + a,
			Match: map[string][]string{"account": {a}}, Builtin: true, Source: "builtin",
		})
	}
	for _, r := range uniqueSorted(regions) {
		out = append(out, Group{
			Name: "region:" + r, Description: "assets in region " + r,
			Match: map[string][]string{"region": {r}}, Builtin: true, Source: "builtin",
		})
	}
	return out
}

func uniqueSorted(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// Find returns the group named name from gs.
func Find(gs []Group, name string) (Group, bool) {
	for _, g := range gs {
		if g.Name == name {
			return g, true
		}
	}
	return Group{}, false
}
