package rules

import (
	"sort"

	"github.com/vigil-sec/vigil/asset"
)

// maxErrorText bounds the stored text of one evaluation error.
const maxErrorText = 400

// PolicyErrors is one policy's evaluation errors in the last evaluation: the
// assets its check could not judge (a missing key, a division by zero, a
// wrong type, the cost limit) and the first error's text. An error is its
// own result, neither a pass nor a failure.
type PolicyErrors struct {
	PolicyID string   `json:"policy_id"`
	Assets   []string `json:"assets"`      // every asset the check could not judge, sorted
	Asset    string   `json:"first_asset"` // the asset of the first error (in asset ID order)
	Message  string   `json:"message"`     // that error's text
}

// Count is how many assets the policy could not judge.
func (p PolicyErrors) Count() int { return len(p.Assets) }

// CollectErrors gathers the errored results by policy, sorted by policy ID.
func CollectErrors(rs []Result) []PolicyErrors {
	by := map[string]*PolicyErrors{}
	first := map[string]Result{}
	for _, r := range rs {
		if r.Err == nil {
			continue
		}
		pe := by[r.PolicyID]
		if pe == nil {
			pe = &PolicyErrors{PolicyID: r.PolicyID}
			by[r.PolicyID] = pe
		}
		pe.Assets = append(pe.Assets, r.AssetID)
		if f, ok := first[r.PolicyID]; !ok || r.AssetID < f.AssetID {
			first[r.PolicyID] = r
		}
	}
	out := make([]PolicyErrors, 0, len(by))
	for id, pe := range by {
		sort.Strings(pe.Assets)
		f := first[id]
		pe.Asset, pe.Message = f.AssetID, errorText(f.Err)
		out = append(out, *pe)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PolicyID < out[j].PolicyID })
	return out
}

// errorText is an error's text, cleaned of control characters and bounded.
func errorText(err error) string {
	s := asset.Clean(err.Error())
	if r := []rune(s); len(r) > maxErrorText {
		s = string(r[:maxErrorText-1]) + "…"
	}
	return s
}

// ErroredIn restricts evaluation errors to the assets in reports true for:
// policy ID -> the errored asset IDs among them. Nil when none.
func ErroredIn(errs []PolicyErrors, in func(assetID string) bool) map[string][]string {
	var out map[string][]string
	for _, pe := range errs {
		for _, id := range pe.Assets {
			if in == nil || in(id) {
				if out == nil {
					out = map[string][]string{}
				}
				out[pe.PolicyID] = append(out[pe.PolicyID], id)
			}
		}
	}
	return out
}
