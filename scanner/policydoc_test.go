package scanner

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestNormalizePolicy(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want map[string]any // the first statement
	}{
		{
			name: "single strings become lists",
			doc:  `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`,
			want: map[string]any{"sid": "", "effect": "Allow", "principals": []any{"*"}, "not_principal": false,
				"actions": []any{"s3:GetObject"}, "not_action": false, "resources": []any{"arn:aws:s3:::b/*"},
				"not_resource": false, "conditions": map[string]any{}},
		},
		{
			name: "AWS star flattens to star",
			doc:  `{"Statement":[{"Sid":"x","Effect":"Allow","Principal":{"AWS":"*"},"Action":["s3:*"],"Resource":"*"}]}`,
			want: map[string]any{"sid": "x", "effect": "Allow", "principals": []any{"*"}, "not_principal": false,
				"actions": []any{"s3:*"}, "not_action": false, "resources": []any{"*"},
				"not_resource": false, "conditions": map[string]any{}},
		},
		{
			name: "mixed principal kinds flatten into one list",
			doc: `{"Statement":[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com"],` +
				`"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::444455556666:role/r"],"Federated":"cognito-identity.amazonaws.com"},` +
				`"Action":"sts:AssumeRole"}]}`,
			want: map[string]any{"sid": "", "effect": "Allow",
				"principals": []any{"arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:role/r",
					"cognito-identity.amazonaws.com", "lambda.amazonaws.com"},
				"not_principal": false, "actions": []any{"sts:AssumeRole"}, "not_action": false,
				"resources": []any{}, "not_resource": false, "conditions": map[string]any{}},
		},
		{
			name: "NotPrincipal sets the flag",
			doc:  `{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/admin"},"NotAction":"iam:*","NotResource":"arn:aws:s3:::keep"}]}`,
			want: map[string]any{"sid": "", "effect": "Deny", "principals": []any{"arn:aws:iam::111122223333:user/admin"},
				"not_principal": true, "actions": []any{"iam:*"}, "not_action": true,
				"resources": []any{"arn:aws:s3:::keep"}, "not_resource": true, "conditions": map[string]any{}},
		},
		{
			name: "conditions of bools numbers and lists become string lists",
			doc: `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{` +
				`"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:TlsVersion":1.2},` +
				`"StringEquals":{"aws:SourceVpce":["vpce-1","vpce-2"]}}}]}`,
			want: map[string]any{"sid": "", "effect": "Deny", "principals": []any{"*"}, "not_principal": false,
				"actions": []any{"s3:*"}, "not_action": false, "resources": []any{"*"}, "not_resource": false,
				"conditions": map[string]any{
					"Bool":            map[string]any{"aws:SecureTransport": []any{"false"}},
					"NumericLessThan": map[string]any{"s3:TlsVersion": []any{"1.2"}},
					"StringEquals":    map[string]any{"aws:SourceVpce": []any{"vpce-1", "vpce-2"}},
				}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizePolicy(tt.doc)
			if err != nil {
				t.Fatalf("NormalizePolicy: %v", err)
			}
			stmts, _ := got["statements"].([]any)
			if len(stmts) != 1 {
				t.Fatalf("statements = %v, want one", got["statements"])
			}
			if !reflect.DeepEqual(stmts[0], tt.want) {
				t.Errorf("statement =\n %#v\nwant\n %#v", stmts[0], tt.want)
			}
		})
	}
}

func TestNormalizePolicyURLEncodedIAMDocument(t *testing.T) {
	raw := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	got, err := NormalizePolicy(url.QueryEscape(raw))
	if err != nil {
		t.Fatalf("NormalizePolicy: %v", err)
	}
	if got["version"] != "2012-10-17" {
		t.Errorf("version = %v", got["version"])
	}
	st := got["statements"].([]any)[0].(map[string]any)
	if !reflect.DeepEqual(st["actions"], []any{"*"}) || !reflect.DeepEqual(st["principals"], []any{}) {
		t.Errorf("statement = %v", st)
	}
}

func TestNormalizePolicyEmptyAndBroken(t *testing.T) {
	if got, err := NormalizePolicy("  "); got != nil || err != nil {
		t.Errorf("empty text = %v, %v; want nil, nil", got, err)
	}
	if _, err := NormalizePolicy(`{"Statement": [`); err == nil || !strings.Contains(err.Error(), "policy document") {
		t.Errorf("broken JSON error = %v", err)
	}
	if _, err := NormalizePolicy(`{"Statement": 3}`); err == nil {
		t.Error("numeric Statement accepted")
	}
	got, err := NormalizePolicy(`{"Version":"2012-10-17"}`)
	if err != nil || !reflect.DeepEqual(got["statements"], []any{}) {
		t.Errorf("no statements = %v, %v; want an empty list", got, err)
	}
}

func BenchmarkNormalizePolicy(b *testing.B) {
	doc := `{"Version":"2012-10-17","Statement":[` + strings.Repeat(
		`{"Sid":"s","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root"],"Service":"ec2.amazonaws.com"},`+
			`"Action":["s3:GetObject","s3:PutObject"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},`, 9) +
		`{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NormalizePolicy(doc); err != nil {
			b.Fatal(err)
		}
	}
}
