package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"text/template"

	"github.com/google/cel-go/cel"
	"gopkg.in/yaml.v3"
)

// policyFields are the keys a policy file may hold.
var policyFields = []string{
	"id", "name", "description", "resource", "severity", "category", "domain",
	"frameworks", "params", "check", "message", "remediation", "fix", "autofix",
	"group", "disabled", "enabled", "tests",
}

// testFields are the keys an inline test may hold.
var testFields = []string{"name", "resource", "params", "related", "compliant"}

var (
	severities = map[string]bool{SeverityCritical: true, SeverityHigh: true, SeverityMedium: true, SeverityLow: true}
	categories = map[string]bool{CategorySecurity: true, CategoryGovernance: true, CategoryCost: true, CategoryTagging: true}
	yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): `)
)

// fileError is a problem at a place in a policy file.
type fileError struct {
	file      string
	line, col int
	msg       string
}

// Error renders the problem as "policy FILE:LINE[:COL]: what is wrong".
func (e *fileError) Error() string {
	switch {
	case e.line > 0 && e.col > 0:
		return fmt.Sprintf("policy %s:%d:%d: %s", e.file, e.line, e.col, e.msg)
	case e.line > 0:
		return fmt.Sprintf("policy %s:%d: %s", e.file, e.line, e.msg)
	}
	return fmt.Sprintf("policy %s: %s", e.file, e.msg)
}

// fileParser reads one policy file.
type fileParser struct {
	file  string
	lines []string
}

func (ps *fileParser) errAt(n *yaml.Node, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &fileError{file: ps.file, line: line, msg: fmt.Sprintf(format, args...)}
}

// parsePolicy parses and checks one policy file: fields, values, the CEL
// check (compiled and type-checked) and the message template.
func parsePolicy(env *cel.Env, file string, data []byte) (*Policy, error) {
	ps := &fileParser{file: file, lines: strings.Split(string(data), "\n")}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &fileError{file: file, msg: "empty file"}
		}
		return nil, ps.yamlErr(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, ps.errAt(&extra, "one policy per file: a second YAML document starts here")
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, ps.errAt(root, "a policy must be a mapping of fields (id, name, resource, check...)")
	}
	p := &Policy{File: file, Domain: DefaultDomain}
	var checkNode *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if err := ps.field(p, k, v); err != nil {
			return nil, err
		}
		if k.Value == "check" {
			checkNode = v
		}
	}
	if err := ps.validate(p, root); err != nil {
		return nil, err
	}
	if err := ps.compileCheck(env, p, checkNode); err != nil {
		return nil, err
	}
	return p, nil
}

func (ps *fileParser) yamlErr(err error) error {
	msg := err.Error()
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		line := 0
		fmt.Sscanf(m[1], "%d", &line)
		return &fileError{file: ps.file, line: line, msg: strings.TrimPrefix(msg, m[0])}
	}
	return &fileError{file: ps.file, msg: strings.TrimPrefix(msg, "yaml: ")}
}

// field decodes one top-level key into p.
func (ps *fileParser) field(p *Policy, k, v *yaml.Node) error {
	var err error
	switch k.Value {
	case "id":
		err = v.Decode(&p.ID)
	case "name":
		err = v.Decode(&p.Name)
	case "description":
		err = v.Decode(&p.Description)
	case "resource":
		p.Resources, err = decodeStrings(v)
	case "severity":
		err = v.Decode(&p.Severity)
	case "category":
		err = v.Decode(&p.Category)
	case "domain":
		err = v.Decode(&p.Domain)
	case "frameworks":
		p.Frameworks, err = decodeStrings(v)
	case "params":
		err = v.Decode(&p.Params)
		p.Params = normaliseMap(p.Params)
	case "check":
		err = v.Decode(&p.Check)
	case "message":
		err = v.Decode(&p.Message)
	case "remediation":
		err = v.Decode(&p.Remediation)
	case "fix":
		err = v.Decode(&p.Fix)
	case "autofix":
		err = v.Decode(&p.Autofix)
	case "group":
		err = v.Decode(&p.Group)
	case "disabled":
		err = v.Decode(&p.Disabled)
	case "enabled":
		var on bool
		err = v.Decode(&on)
		p.Disabled = !on
	case "tests":
		p.Tests, err = ps.decodeTests(v)
	default:
		return ps.errAt(k, "unknown field %q%s", k.Value, suggest(k.Value, policyFields))
	}
	if err != nil {
		var fe *fileError
		if errors.As(err, &fe) {
			return err
		}
		return ps.errAt(v, "%s: %s", k.Value, cleanYAMLErr(err))
	}
	return nil
}

func cleanYAMLErr(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n")
	msg = strings.TrimSpace(msg)
	if i := strings.Index(msg, ": "); strings.HasPrefix(msg, "line ") && i > 0 {
		msg = msg[i+2:]
	}
	return msg
}

// decodeStrings reads a string or a list of strings.
func decodeStrings(v *yaml.Node) ([]string, error) {
	if v.Kind == yaml.ScalarNode {
		if v.Value == "" {
			return nil, nil
		}
		return []string{v.Value}, nil
	}
	var out []string
	if err := v.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

func (ps *fileParser) decodeTests(v *yaml.Node) ([]PolicyTest, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, ps.errAt(v, "tests: must be a list of test cases")
	}
	out := make([]PolicyTest, 0, len(v.Content))
	for i, n := range v.Content {
		if n.Kind != yaml.MappingNode {
			return nil, ps.errAt(n, "tests[%d]: must be a mapping (name, resource, compliant)", i)
		}
		hasCompliant := false
		for j := 0; j+1 < len(n.Content); j += 2 {
			k := n.Content[j]
			if !contains(testFields, k.Value) {
				return nil, ps.errAt(k, "tests[%d]: unknown field %q%s", i, k.Value, suggest(k.Value, testFields))
			}
			hasCompliant = hasCompliant || k.Value == "compliant"
		}
		if !hasCompliant {
			return nil, ps.errAt(n, "tests[%d]: missing field \"compliant\" (true or false)", i)
		}
		var t PolicyTest
		if err := n.Decode(&t); err != nil {
			return nil, ps.errAt(n, "tests[%d]: %s", i, cleanYAMLErr(err))
		}
		if t.Name == "" {
			t.Name = fmt.Sprintf("test %d", i+1)
		}
		t.Resource = normaliseMap(t.Resource)
		t.Params = normaliseMap(t.Params)
		for typ, docs := range t.Related {
			for k, d := range docs {
				t.Related[typ][k] = normaliseMap(d)
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// validate checks required fields and enumerations.
func (ps *fileParser) validate(p *Policy, root *yaml.Node) error {
	node := func(key string) *yaml.Node {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == key {
				return root.Content[i+1]
			}
		}
		return root
	}
	switch {
	case p.ID == "":
		return ps.errAt(root, "missing field \"id\"")
	case !idPattern.MatchString(p.ID):
		return ps.errAt(node("id"), "id %q must be kebab-case (lowercase letters, digits and dashes)", p.ID)
	case strings.TrimSpace(p.Check) == "":
		return ps.errAt(node("check"), "missing field \"check\" (a CEL expression, true when compliant)")
	case len(p.Resources) == 0:
		return ps.errAt(node("resource"), "missing field \"resource\" (an asset type such as aws.s3.bucket, or a list)")
	case !severities[p.Severity]:
		return ps.errAt(node("severity"), "severity %q must be one of critical, high, medium, low%s", p.Severity, suggest(p.Severity, []string{"critical", "high", "medium", "low"}))
	case !categories[p.Category]:
		return ps.errAt(node("category"), "category %q must be one of security, governance, cost, tagging%s", p.Category, suggest(p.Category, []string{"security", "governance", "cost", "tagging"}))
	case p.Domain == "":
		return ps.errAt(node("domain"), "domain must not be empty (the default is %q)", DefaultDomain)
	}
	if p.Name == "" {
		p.Name = p.ID
	}
	if p.Message != "" {
		if _, err := template.New(p.ID).Parse(p.Message); err != nil {
			return ps.errAt(node("message"), "message: %s", strings.TrimPrefix(err.Error(), "template: "))
		}
	}
	return nil
}
