package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
)

func TestSecurityHubsAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	ctx, ok := context.Background(), docsOK(t)
	on := docsTestSession(t, srv, "us-east-1")
	off := docsTestSession(t, srv, "eu-west-1")
	ok(on.SecurityHub().EnableSecurityHub(ctx, &securityhub.EnableSecurityHubInput{EnableDefaultStandards: aws.Bool(true)}))
	// moto 5.2.1 serves neither GetEnabledStandards nor
	// ListEnabledProductsForImport: these stand-in answers follow the API's
	// documented restJson1 shapes (written by hand, not captured from AWS)
	// for a hub with the CIS standard and one integration.
	proxied := recordedProxy(t, srv.URL,
		recordedResponse{"POST", "/standards/get", `{"StandardsSubscriptions":[{"StandardsArn":"arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0","StandardsInput":{},"StandardsStatus":"READY","StandardsSubscriptionArn":"arn:aws:securityhub:us-east-1:123456789012:subscription/cis-aws-foundations-benchmark/v/3.0.0"}]}`},
		recordedResponse{"GET", "/productSubscriptions", `{"ProductSubscriptions":["arn:aws:securityhub:us-east-1:123456789012:product-subscription/aws/guardduty"]}`})
	on = docsThrough(on, proxied)

	want := map[*Session]struct {
		id      string
		enabled bool
	}{
		on:  {"arn:aws:securityhub:us-east-1:123456789012:hub/default", true},
		off: {"arn:aws:securityhub:eu-west-1:123456789012:hub/default", false},
	}
	for s, w := range want {
		got := docsCollect(t, NewSecurityHubs(), s)
		h, found := got[w.id]
		if len(got) != 1 || !found {
			t.Fatalf("%s: hubs %v, want one under %s", s.Region, got, w.id)
		}
		docsWant(t, h, "enabled", w.enabled)
		docsHasKeys(t, h, "subscribed_at", "auto_enable_controls", "standards", "integrations")
		if !w.enabled && len(docsList(t, h, "standards")) != 0 {
			t.Errorf("%s: a disabled hub lists standards", s.Region)
		}
		if w.enabled && (docsGet(t, h, "subscribed_at") == "" || len(docsList(t, h, "standards")) != 1 || len(docsList(t, h, "integrations")) != 1) {
			t.Errorf("%s: enabled hub: subscribed_at %v standards %v integrations %v", s.Region,
				docsGet(t, h, "subscribed_at"), docsGet(t, h, "standards"), docsGet(t, h, "integrations"))
		}
	}
}
