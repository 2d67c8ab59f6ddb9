package rules

import (
	"strings"
	"testing"
	"text/template"

	"github.com/vigil-sec/vigil/asset"
)

func TestMessageFromFewKeysMatchesWholeDocument(t *testing.T) {
	a := ec2("i-1", map[string]any{"instance_type": "t3.micro", "name": "shadowed"})
	a.Name = "web"
	a.Tags["Owner"] = "ana"
	templates := map[string]bool{ // template -> rendered from a few keys
		"instance {{ .name }} ({{ .instance_type }}) allows {{ .imds.http_tokens }}": true,
		"{{ .tags.Owner }} owns {{ .id }} in {{ .region }}/{{ .account }}":           true,
		"{{ if .public_ip }}public{{ else }}private{{ end }} {{ .type }}":            true,
		"{{ printf \"%s-%v\" .name .imds.hop_limit }}":                               true,
		"{{ .missing }}x{{ .tags.Nope }}":                                            true,
		"{{ range .security_group_ids }}{{ . }}{{ end }}{{ .name }}":                 false,
		"{{ with .imds }}{{ .http_tokens }}{{ end }}":                                false,
		"{{ $n := .name }}{{ $n }}":                                                  false,
		"{{ len . }}":                                                                false,
	}
	for text, fast := range templates {
		m := newMessage(&Policy{ID: "p", Message: text})
		if (m.keys != nil) != fast {
			t.Errorf("%q: few-keys path = %v, want %v", text, m.keys != nil, fast)
		}
		var want strings.Builder
		if err := template.Must(template.New("x").Option("missingkey=zero").Parse(text)).Execute(&want, a.Doc()); err != nil {
			t.Fatal(err)
		}
		exp := asset.Clean(strings.ReplaceAll(want.String(), "<no value>", ""))
		if got := m.render(a, a.Doc); got != exp {
			t.Errorf("%q: rendered %q, whole document gives %q", text, got, exp)
		}
	}
}
