package rules

import "testing"

// cis41 is CIS AWS 3.0 control 4.1's pattern as the benchmark prints it.
const cis41 = `{($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }`

// cis47 is control 4.7's pattern.
const cis47 = `{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }`

func TestPatternCovers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, actual, required string
		want                   bool
	}{
		{"identical", cis47, cis47, true},
		{"whitespace and quotes", `{ ( $.eventSource = "kms.amazonaws.com" ) && ( ( $.eventName = "DisableKey" ) || ( $.eventName = "ScheduleKeyDeletion" ) ) }`, cis47, true},
		{"|| operands reordered", `{($.eventSource = kms.amazonaws.com) && (($.eventName=ScheduleKeyDeletion)||($.eventName=DisableKey))}`, cis47, true},
		{"&& operands reordered", `{(($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) && ($.eventSource = kms.amazonaws.com)}`, cis47, true},
		{"extra || alternative still covers", `{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)||($.eventName=CancelKeyDeletion))}`, cis47, true},
		{"fewer && conditions still covers", `{($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)}`, cis47, true},
		{"missing || alternative does not cover", `{($.eventSource = kms.amazonaws.com) && ($.eventName=DisableKey)}`, cis47, false},
		{"extra && condition narrows", `{($.eventSource = kms.amazonaws.com) && ($.userIdentity.type = Root) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}`, cis47, false},
		{"other value", `{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKeyRotation)||($.eventName=ScheduleKeyDeletion))}`, cis47, false},
		{"other operator", `{($.eventSource != kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}`, cis47, false},
		{"value case matters", `{($.eventSource = kms.amazonaws.com) && (($.eventName=disablekey)||($.eventName=ScheduleKeyDeletion))}`, cis47, false},
		{"4.1 as printed", cis41, cis41, true},
		{"4.1 respaced", `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }`, cis41, true},
		{"4.1 without exclusions is broader", `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`, cis41, true},
		{"NOT EXISTS kept", `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
			`{$.userIdentity.type="Root"&&$.eventType!="AwsServiceEvent"&&$.userIdentity.invokedBy NOT EXISTS}`, true},
		{"text pattern covers nothing", `ERROR`, cis47, false},
		{"empty covers nothing", ``, cis47, false},
		{"unbalanced covers nothing", `{($.eventName=DisableKey}`, `{$.eventName=DisableKey}`, false},
		{"broken required covered by nothing", cis47, `{$.eventName=}`, false},
	}
	for _, c := range cases {
		if got := PatternCovers(c.actual, c.required); got != c.want {
			t.Errorf("%s: PatternCovers = %t, want %t", c.name, got, c.want)
		}
	}
}
