package rules

import (
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/vigil-sec/vigil/asset"
)

// message is a policy's compiled message template and the top-level
// document keys it reads, so a failing asset's message is rendered from a
// few keys instead of the whole merged document.
type message struct {
	tmpl *template.Template
	keys []string // nil: the template needs the whole document
}

// newMessage parses a message template; nil when there is none or it does
// not parse (the policy name is used then).
func newMessage(p *Policy) *message {
	if p.Message == "" {
		return nil
	}
	t, err := template.New(p.ID).Option("missingkey=zero").Parse(p.Message)
	if err != nil {
		return nil
	}
	m := &message{tmpl: t}
	if keys, ok := topKeys(t.Tree.Root); ok {
		m.keys = keys
		if m.keys == nil {
			m.keys = []string{}
		}
	}
	return m
}

// render executes the template for asset a (doc builds the whole document
// when the template needs it) and cleans the result for a terminal; "" when
// it fails.
func (m *message) render(a *asset.Asset, doc func() map[string]any) string {
	var data map[string]any
	if m.keys == nil {
		data = doc()
	} else {
		data = make(map[string]any, len(m.keys))
		for _, k := range m.keys {
			if v, ok := identityValue(a, k); ok {
				data[k] = v
			} else if v, ok := a.Attrs[k]; ok {
				data[k] = v
			}
		}
	}
	var b strings.Builder
	if err := m.tmpl.Execute(&b, data); err != nil {
		return ""
	}
	return asset.Clean(strings.ReplaceAll(b.String(), "<no value>", ""))
}

// identityValue returns an identity field of a as Doc shows it.
func identityValue(a *asset.Asset, k string) (any, bool) {
	switch k {
	case "id":
		return a.ID, true
	case "type":
		return a.Type, true
	case "name":
		return a.Name, true
	case "account":
		return a.Account, true
	case "region":
		return a.Region, true
	case "tags":
		tags := make(map[string]any, len(a.Tags))
		for tk, tv := range a.Tags {
			tags[tk] = tv
		}
		return tags, true
	}
	return nil, false
}

// topKeys lists the first element of every field path (.name,
// .imds.http_tokens -> name, imds) in a template whose dot is always the
// document; ok is false when the template rebinds or reads dot otherwise
// (range, with, variables, bare dot, sub-templates).
func topKeys(root parse.Node) (keys []string, ok bool) {
	seen := map[string]bool{}
	var walk func(n parse.Node) bool
	walk = func(n parse.Node) bool {
		switch x := n.(type) {
		case nil:
			return true
		case *parse.ListNode:
			if x == nil {
				return true
			}
			for _, c := range x.Nodes {
				if !walk(c) {
					return false
				}
			}
			return true
		case *parse.ActionNode:
			return walk(x.Pipe)
		case *parse.PipeNode:
			if x == nil {
				return true
			}
			if len(x.Decl) > 0 {
				return false
			}
			for _, c := range x.Cmds {
				if !walk(c) {
					return false
				}
			}
			return true
		case *parse.CommandNode:
			for _, a := range x.Args {
				if !walk(a) {
					return false
				}
			}
			return true
		case *parse.FieldNode:
			if !seen[x.Ident[0]] {
				seen[x.Ident[0]] = true
				keys = append(keys, x.Ident[0])
			}
			return true
		case *parse.IfNode:
			return walk(x.Pipe) && walk(x.List) && walk(x.ElseList)
		case *parse.TextNode, *parse.StringNode, *parse.NumberNode, *parse.BoolNode,
			*parse.IdentifierNode, *parse.NilNode, *parse.CommentNode:
			return true
		}
		return false
	}
	if !walk(root) {
		return nil, false
	}
	return keys, true
}
