// Package groups defines asset groups: named criteria that select assets, used
// to scope the console, the reports and individual policies.
package groups

// Group is a named selection of assets. An asset is a member when its type is
// one of Types (any type when empty), every Match path has one of its listed
// values (AND across paths, OR across one path's values; paths are document
// paths such as "tags.Environment" or "imds.http_tokens"), and Expr, a CEL
// expression over `resource`, is true when set.
type Group struct {
	Name        string              `json:"name" yaml:"name"`
	Description string              `json:"description,omitempty" yaml:"description,omitempty"`
	Types       []string            `json:"types,omitempty" yaml:"types,omitempty"`
	Match       map[string][]string `json:"match,omitempty" yaml:"match,omitempty"`
	Expr        string              `json:"expr,omitempty" yaml:"expr,omitempty"`
	Builtin     bool                `json:"builtin,omitempty" yaml:"-"`
	Source      string              `json:"source,omitempty" yaml:"-"` // "builtin", "config", "store"
	// Broken is why the definition does not compile (an expr that does not
	// parse, a bad path); a broken group is listed with it and has no members.
	Broken string `json:"broken,omitempty" yaml:"-"`
}

// All is the name of the built-in group that holds every asset.
const All = "all"
