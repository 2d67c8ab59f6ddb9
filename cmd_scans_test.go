package main

import (
	"strings"
	"testing"
)

// A unit's failure cause is shown whole: wrapped into lines that together
// hold every word, none longer than the width.
func TestWrapTextKeepsTheWholeCause(t *testing.T) {
	t.Parallel()
	cause := "operation error EC2: DescribeInstances, https response error StatusCode: 403, RequestID: 0f1e, " +
		"api error UnauthorizedOperation: You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/scanner " +
		"is not authorized to perform: ec2:DescribeInstances because no identity-based policy allows the ec2:DescribeInstances action"
	lines := wrapText(fullLine(cause), causeWidth)
	if len(lines) < 3 {
		t.Fatalf("wrapped into %d lines, want several", len(lines))
	}
	for _, l := range lines {
		if len([]rune(l)) > causeWidth {
			t.Errorf("line %q is longer than %d", l, causeWidth)
		}
	}
	if got := strings.Join(lines, " "); got != fullLine(cause) {
		t.Errorf("wrapped text lost words:\n got %q\nwant %q", got, fullLine(cause))
	}
	if !strings.HasSuffix(lines[len(lines)-1], "action") {
		t.Errorf("the end of the cause is missing: %q", lines[len(lines)-1])
	}
}
