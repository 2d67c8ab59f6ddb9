package fix

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/vigil-sec/vigil/asset"
)

// normalize turns a state into its JSON form (numbers float64, lists []any),
// so a state read now compares equal to one that went through the store.
func normalize(v any) map[string]any {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		return map[string]any{"error": err.Error()}
	}
	return out
}

// decode reads a stored state into a typed value.
func decode(m map[string]any, out any) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("decode state: %w", err)
	}
	return nil
}

// diff describes how the live state differs from the planned one, "" when
// they are the same: each changed path (asset.Diff, the one state diff).
func diff(want, got map[string]any) string {
	changes := asset.Diff(want, got)
	parts := make([]string, 0, len(changes))
	for _, c := range changes {
		parts = append(parts, fmt.Sprintf("%s was %s, now %s", c.Path, compact(c.Before), compact(c.After)))
	}
	return strings.Join(parts, "; ")
}

func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// attr returns a string attribute of the target asset, erroring when it is missing.
func attr(t Target, path string) (string, error) {
	v, ok := asset.Get(t.Asset.Attrs, path)
	s := asset.String(v)
	if !ok || s == "" {
		return "", fmt.Errorf("asset %s has no %s attribute (re-scan it)", t.Asset.ID, path)
	}
	return s, nil
}

// paramInt reads an integer policy param (YAML and JSON give several number types).
func paramInt(params map[string]any, key string) (int64, bool) {
	v, ok := params[key]
	if !ok {
		return 0, false
	}
	return toInt(v)
}

func toInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case uint64:
		return int64(n), true
	case float64:
		return int64(n), true
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

// paramInts reads a list of integers from a policy param.
func paramInts(params map[string]any, key string) ([]int64, bool) {
	v, ok := params[key]
	if !ok {
		return nil, false
	}
	var out []int64
	switch l := v.(type) {
	case []any:
		for _, x := range l {
			if n, ok := toInt(x); ok {
				out = append(out, n)
			}
		}
	case []int64:
		out = append(out, l...)
	case []int:
		for _, x := range l {
			out = append(out, int64(x))
		}
	default:
		return nil, false
	}
	return out, true
}

// isCode reports whether err is an AWS API error with one of the codes.
func isCode(err error, codes ...string) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.ErrorCode() == c {
			return true
		}
	}
	return false
}

func call(service, op string, params map[string]any) Call {
	return Call{Service: service, Op: op, Params: params}
}
