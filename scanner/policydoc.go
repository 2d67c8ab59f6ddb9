package scanner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// NormalizePolicy parses an IAM-style policy document (S3 bucket policy, IAM
// policy, trust policy, Lambda resource policy) into the normalised shape of
// docs/ATTRIBUTES.md: {"version", "statements": [{"sid", "effect",
// "principals", "not_principal", "actions", "not_action", "resources",
// "not_resource", "conditions"}]}. Every list is a list of strings even when
// AWS wrote a single string; principals flatten "*", {"AWS": ...},
// {"Service": ...}, {"Federated": ...} into one list ({"AWS": "*"} -> "*");
// NotAction/NotResource fill actions/resources with their flag set.
// URL-encoded documents (as IAM returns them) are decoded first. An empty
// text gives (nil, nil): no policy.
func NormalizePolicy(jsonText string) (map[string]any, error) {
	text := strings.TrimSpace(jsonText)
	if text == "" {
		return nil, nil
	}
	if strings.HasPrefix(text, "%") {
		decoded, err := url.PathUnescape(text)
		if err != nil {
			return nil, fmt.Errorf("policy document: url-decode: %w", err)
		}
		text = strings.TrimSpace(decoded)
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("policy document: parse JSON: %w", err)
	}
	version, _ := policyField(raw, "Version").(string)
	var stmts []any
	switch st := policyField(raw, "Statement").(type) {
	case nil:
	case map[string]any:
		stmts = []any{normalizeStatement(st)}
	case []any:
		for i, s := range st {
			m, ok := s.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("policy document: statement %d is %T, want an object", i, s)
			}
			stmts = append(stmts, normalizeStatement(m))
		}
	default:
		return nil, fmt.Errorf("policy document: Statement is %T, want an object or a list", st)
	}
	if stmts == nil {
		stmts = []any{}
	}
	return map[string]any{"version": version, "statements": stmts}, nil
}

// normalizeStatement converts one raw statement.
func normalizeStatement(st map[string]any) map[string]any {
	sid, _ := policyField(st, "Sid").(string)
	effect, _ := policyField(st, "Effect").(string)
	principals, notPrincipal := []any{}, false
	if p := policyField(st, "Principal"); p != nil {
		principals = policyPrincipals(p)
	} else if p := policyField(st, "NotPrincipal"); p != nil {
		principals, notPrincipal = policyPrincipals(p), true
	}
	actions, notAction := policyPair(st, "Action", "NotAction")
	resources, notResource := policyPair(st, "Resource", "NotResource")
	return map[string]any{
		"sid":           sid,
		"effect":        effect,
		"principals":    principals,
		"not_principal": notPrincipal,
		"actions":       actions,
		"not_action":    notAction,
		"resources":     resources,
		"not_resource":  notResource,
		"conditions":    policyConditions(policyField(st, "Condition")),
	}
}

// policyPair reads a field or its Not- twin, reporting which one was used.
func policyPair(st map[string]any, key, notKey string) ([]any, bool) {
	if v := policyField(st, key); v != nil {
		return policyStrings(v), false
	}
	if v := policyField(st, notKey); v != nil {
		return policyStrings(v), true
	}
	return []any{}, false
}

// policyPrincipals flattens a Principal value: "*" or a map of principal
// kinds (AWS, Service, Federated, CanonicalUser) to a string or list.
func policyPrincipals(p any) []any {
	m, ok := p.(map[string]any)
	if !ok {
		return policyStrings(p)
	}
	kinds := make([]string, 0, len(m))
	for k := range m {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	out := []any{}
	seen := map[string]bool{}
	for _, k := range kinds {
		for _, v := range policyStrings(m[k]) {
			s := v.(string)
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// policyConditions converts Condition to map[operator]map[key][]string.
func policyConditions(c any) map[string]any {
	out := map[string]any{}
	m, ok := c.(map[string]any)
	if !ok {
		return out
	}
	for op, v := range m {
		keys, ok := v.(map[string]any)
		if !ok {
			continue
		}
		conv := make(map[string]any, len(keys))
		for k, vals := range keys {
			conv[k] = policyStrings(vals)
		}
		out[op] = conv
	}
	return out
}

// policyStrings turns a string, number, bool or list of them into a list of
// strings.
func policyStrings(v any) []any {
	switch t := v.(type) {
	case nil:
		return []any{}
	case []any:
		out := make([]any, 0, len(t))
		for _, e := range t {
			out = append(out, policyScalar(e))
		}
		return out
	default:
		return []any{policyScalar(t)}
	}
}

// policyScalar renders one JSON scalar as a string.
func policyScalar(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		if t {
			return "true"
		}
		return "false"
	case nil:
		return ""
	default:
		b, _ := json.Marshal(t)
		return string(b)
	}
}

// policyField reads a key exactly, else case-insensitively (some tools write
// "statement" or "effect").
func policyField(m map[string]any, key string) any {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}
