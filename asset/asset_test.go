package asset

import (
	"strings"
	"testing"
)

func TestCleanStripsEscapeAndControlSequences(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain name", "plain name"},
		{"a\x1b]0;pwned\x07b", "ab"},                           // OSC title change, BEL-terminated
		{"a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "alink"}, // OSC 8 hyperlink, ST-terminated
		{"\x1b[2Jcleared", "cleared"},                          // CSI erase screen
		{"red\x1b[31mtext\x1b[0m", "redtext"},                  // SGR colours
		{"x\u009b2Jy", "xy"},                                   // C1 CSI
		{"x\x9b2Jy", "x2Jy"},                                   // a stray non-UTF-8 byte is dropped
		{"tab\there\nnew\rline", "tab here new line"},
		{"bell\x07null\x00del\x7f", "bellnulldel"},
		{"\x1bPdevice control\x1b\\after", "after"}, // DCS
		{"ünïcødé ✓", "ünïcødé ✓"},
	}
	for _, c := range cases {
		got := Clean(c.in)
		if got != c.want {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.want)
		}
		if strings.ContainsAny(got, "\x1b\x07\x00\x9b") {
			t.Errorf("Clean(%q) left a control byte: %q", c.in, got)
		}
	}
}

func TestGetReadsDottedPaths(t *testing.T) {
	doc := map[string]any{
		"tags":    map[string]any{"Owner": "alice"},
		"imds":    map[string]any{"http_tokens": "optional"},
		"ingress": []any{map[string]any{"cidr": "0.0.0.0/0"}},
	}
	for path, want := range map[string]string{"tags.Owner": "alice", "imds.http_tokens": "optional", "ingress.0.cidr": "0.0.0.0/0"} {
		v, ok := Get(doc, path)
		if !ok || String(v) != want {
			t.Errorf("Get(%s) = %v %v, want %s", path, v, ok, want)
		}
	}
	for _, path := range []string{"tags.Team", "ingress.3.cidr", "imds.http_tokens.x"} {
		if _, ok := Get(doc, path); ok {
			t.Errorf("Get(%s) found something in a missing path", path)
		}
	}
}

func TestHashDocIsStableAndSensitive(t *testing.T) {
	a := map[string]any{"x": int64(1), "y": map[string]any{"b": true, "a": "s"}}
	b := map[string]any{"y": map[string]any{"a": "s", "b": true}, "x": int64(1)}
	if HashDoc(a, map[string]string{"k": "v"}, "n") != HashDoc(b, map[string]string{"k": "v"}, "n") {
		t.Error("the same document in another key order hashes differently")
	}
	c := map[string]any{"x": int64(2), "y": map[string]any{"a": "s", "b": true}}
	if HashDoc(a, nil, "n") == HashDoc(c, nil, "n") {
		t.Error("a changed value did not change the hash")
	}
	if HashDoc(a, map[string]string{"k": "v"}, "n") == HashDoc(a, map[string]string{"k": "w"}, "n") {
		t.Error("a changed tag did not change the hash")
	}
}

func TestUnitContains(t *testing.T) {
	g := UnitKey{Account: "1", Region: Global, Type: TypeS3Bucket}
	r := UnitKey{Account: "1", Region: "us-east-1", Type: TypeVolume}
	if !g.Contains(&Summary{Account: "1", Region: "eu-west-1", Type: TypeS3Bucket}) {
		t.Error("a global unit must hold its type in every region")
	}
	if r.Contains(&Summary{Account: "1", Region: "eu-west-1", Type: TypeVolume}) || r.Contains(&Summary{Account: "2", Region: "us-east-1", Type: TypeVolume}) {
		t.Error("a regional unit holds another region's or account's asset")
	}
}
