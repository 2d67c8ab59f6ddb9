package scanner

import (
	"testing"

	"github.com/vigil-sec/vigil/asset"
)

func TestLoadBalancerCollectorReadsListeners(t *testing.T) {
	env := newRegionalEnv(t)
	r := &Runner{Registry: NewRegistry(NewLoadBalancers()), Regions: fxRegions}
	_, assets := env.scan(t, r)
	for _, acct := range []string{fxAccount1, fxAccount2} {
		s := env.seed(acct, "eu-west-1")
		lb := byID(t, assets, asset.UnitKey{Account: acct, Region: "eu-west-1", Type: asset.TypeLoadBalancer}, s.lbARN)
		if lb.Name != "front door" || attr(t, lb, "lb_name") != "web-lb" {
			t.Errorf("name %q lb_name %v, want the Name tag and web-lb", lb.Name, lb.Attrs["lb_name"])
		}
		if attr(t, lb, "scheme") != "internet-facing" || attr(t, lb, "lb_type") != "application" || attr(t, lb, "vpc_id") != s.vpcLogged {
			t.Errorf("scheme %v type %v vpc %v", lb.Attrs["scheme"], lb.Attrs["lb_type"], lb.Attrs["vpc_id"])
		}
		if sg := attr(t, lb, "security_group_ids").([]any); len(sg) != 1 || sg[0] != s.sgWeb {
			t.Errorf("security_group_ids = %v", sg)
		}
		byPort := map[int64]map[string]any{}
		for _, l := range attr(t, lb, "listeners").([]any) {
			m := l.(map[string]any)
			byPort[m["port"].(int64)] = m
		}
		http, https := byPort[80], byPort[443]
		if http == nil || https == nil {
			t.Fatalf("listeners %v, want ports 80 and 443", byPort)
		}
		if http["protocol"] != "HTTP" || https["protocol"] != "HTTPS" || https["ssl_policy"] != "ELBSecurityPolicy-TLS13-1-2-2021-06" {
			t.Errorf("http %v / https %v", http, https)
		}
		act := http["default_actions"].([]any)[0].(map[string]any)
		if act["type"] != "redirect" || act["redirect_protocol"] != "HTTPS" {
			t.Errorf("http default action = %v, want a redirect to HTTPS", act)
		}
		if fwd := https["default_actions"].([]any)[0].(map[string]any); fwd["type"] != "forward" || fwd["redirect_protocol"] != "" {
			t.Errorf("https default action = %v, want forward", fwd)
		}
	}
}
