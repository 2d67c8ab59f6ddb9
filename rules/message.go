package rules

import (
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/vigil-sec/vigil/asset"
)

// message is a policy's compiled message template and the top-level
// document keys it reads, so a failing asset's message is rendered from a
// few keys instead of the whole merged document.
type message struct {
	tmpl  *template.Template
	keys  []string  // nil: the template needs the whole document
	parts []msgPart // nil: not a plain text-and-{{ .key }} template
	text  int       // length of the literal text in parts
}

// msgPart is a piece of a plain template: literal text, or the top-level
// document key whose string value goes in its place.
type msgPart struct {
	text, key string
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
	m.parts = plainParts(t.Tree.Root)
	for _, p := range m.parts {
		m.text += len(p.text)
	}
	return m
}

// plainParts splits a template made only of text and {{ .key }} actions
// into its parts; nil for any other template.
func plainParts(root *parse.ListNode) []msgPart {
	parts := []msgPart{}
	for _, n := range root.Nodes {
		switch x := n.(type) {
		case *parse.TextNode:
			parts = append(parts, msgPart{text: string(x.Text)})
		case *parse.ActionNode:
			p := x.Pipe
			if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
				return nil
			}
			f, ok := p.Cmds[0].Args[0].(*parse.FieldNode)
			if !ok || len(f.Ident) != 1 {
				return nil
			}
			parts = append(parts, msgPart{key: f.Ident[0]})
		default:
			return nil
		}
	}
	return parts
}

// renderPlain renders a plain template the way text/template would when
// every key it reads is a string, number, bool or missing; ok is false otherwise.
func (m *message) renderPlain(a *asset.Asset) (string, bool) {
	var b strings.Builder
	b.Grow(m.text + 24*len(m.parts))
	for _, p := range m.parts {
		if p.key == "" {
			b.WriteString(p.text)
			continue
		}
		if p.key == "tags" {
			return "", false // a map: text/template prints it
		}
		v, found := identityValue(a, p.key)
		if !found {
			v, found = a.Attrs[p.key]
		}
		if !found {
			b.WriteString("<no value>")
			continue
		}
		switch x := v.(type) {
		case string:
			b.WriteString(x)
		case int64, int, int32, uint64, float64, bool:
			fmt.Fprint(&b, x) // as text/template prints them
		default:
			return "", false
		}
	}
	return b.String(), true
}

// render executes the template for asset a (doc builds the whole document
// when the template needs it) and cleans the result for a terminal; "" when
// it fails.
func (m *message) render(a *asset.Asset, doc func() map[string]any) string {
	if m.parts != nil {
		if s, ok := m.renderPlain(a); ok {
			return asset.Clean(strings.ReplaceAll(s, "<no value>", ""))
		}
	}
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
