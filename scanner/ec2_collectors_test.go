package scanner

import (
	"testing"

	"github.com/vigil-sec/vigil/asset"
)

func TestEC2CollectorsReadWhatPoliciesCheck(t *testing.T) {
	env := newRegionalEnv(t)
	r := &Runner{Registry: NewRegistry(NewInstances(), NewSecurityGroups(), NewVolumes(), NewSnapshots(), NewVPCs(), NewEIPs()), Regions: fxRegions}
	_, assets := env.scan(t, r)

	// Check the second account in the second region: assumed-role
	// credentials and a non-default region both have to be right.
	acct, region := fxAccount2, "eu-west-1"
	s := env.seed(acct, region)
	key := func(typ string) asset.UnitKey { return asset.UnitKey{Account: acct, Region: region, Type: typ} }
	arn := func(kind, id string) string { return "arn:aws:ec2:" + region + ":" + acct + ":" + kind + "/" + id }

	t.Run("instances", func(t *testing.T) {
		strict := byID(t, assets, key(asset.TypeEC2Instance), arn("instance", s.instStrict))
		loose := byID(t, assets, key(asset.TypeEC2Instance), arn("instance", s.instLoose))
		if strict.Name != "strict" || strict.Tags["env"] != "test" {
			t.Errorf("name %q tags %v, want the Name tag and tags", strict.Name, strict.Tags)
		}
		if got := attr(t, strict, "imds.http_tokens"); got != "required" {
			t.Errorf("strict imds.http_tokens = %v", got)
		}
		if got := attr(t, loose, "imds.http_tokens"); got != "optional" {
			t.Errorf("loose imds.http_tokens = %v", got)
		}
		if got := attr(t, strict, "imds.hop_limit"); got != int64(2) {
			t.Errorf("imds.hop_limit = %#v, want int64 2", got)
		}
		if attr(t, strict, "public_ip") == "" || attr(t, loose, "public_ip") != "" {
			t.Errorf("public_ip strict %q loose %q, want the EIP and none", strict.Attrs["public_ip"], loose.Attrs["public_ip"])
		}
		if sgs := attr(t, strict, "security_group_ids").([]any); len(sgs) != 1 || sgs[0] != s.sgWeb {
			t.Errorf("security_group_ids = %v, want [%s]", sgs, s.sgWeb)
		}
		if vols := attr(t, strict, "volume_ids").([]any); len(vols) != 1 {
			t.Errorf("volume_ids = %v, want the root volume", vols)
		}
		if attr(t, strict, "state") != "running" || attr(t, strict, "vpc_id") != s.vpcLogged || attr(t, strict, "launch_time") == "" {
			t.Errorf("state %v vpc %v launch %v", strict.Attrs["state"], strict.Attrs["vpc_id"], strict.Attrs["launch_time"])
		}
	})

	t.Run("security groups", func(t *testing.T) {
		web := byID(t, assets, key(asset.TypeSecurityGroup), arn("security-group", s.sgWeb))
		if web.Name != "web" || attr(t, web, "is_default") != false || attr(t, web, "vpc_id") != s.vpcLogged {
			t.Errorf("web group name %q is_default %v vpc %v", web.Name, web.Attrs["is_default"], web.Attrs["vpc_id"])
		}
		want := map[string]bool{"tcp 22-22 0.0.0.0/0 false": false, "tcp 3389-3389 ::/0 true": false, "-1 0-65535 " + s.sgWeb: false}
		for _, r := range attr(t, web, "ingress").([]any) {
			m := r.(map[string]any)
			k := asset.String(m["protocol"]) + " " + asset.String(m["from_port"]) + "-" + asset.String(m["to_port"]) + " "
			if m["source_group"] != "" {
				k += asset.String(m["source_group"])
			} else {
				k += asset.String(m["cidr"]) + " " + asset.String(m["ipv6"])
			}
			if _, ok := want[k]; !ok {
				t.Errorf("unexpected ingress rule %q (%v)", k, m)
			}
			want[k] = true
			if _, ok := m["from_port"].(int64); !ok {
				t.Errorf("from_port is %T, want int64", m["from_port"])
			}
		}
		for k, seen := range want {
			if !seen {
				t.Errorf("ingress rule %q missing", k)
			}
		}
		defaults := 0
		for _, a := range assets[key(asset.TypeSecurityGroup)] {
			if a.Attrs["is_default"] == true {
				defaults++
			}
		}
		if defaults != 3 {
			t.Errorf("%d default groups, want one per VPC (3)", defaults)
		}
	})

	t.Run("volumes", func(t *testing.T) {
		enc := byID(t, assets, key(asset.TypeVolume), arn("volume", s.volEnc))
		plain := byID(t, assets, key(asset.TypeVolume), arn("volume", s.volPlain))
		if attr(t, enc, "encrypted") != true || attr(t, plain, "encrypted") != false {
			t.Errorf("encrypted: %v / %v, want true / false", enc.Attrs["encrypted"], plain.Attrs["encrypted"])
		}
		if attr(t, plain, "state") != "available" || len(attr(t, plain, "attachments").([]any)) != 0 {
			t.Errorf("unattached volume state %v attachments %v", plain.Attrs["state"], plain.Attrs["attachments"])
		}
		if attr(t, plain, "size_gb") != int64(5) || plain.Name != "scratch" || enc.Name != s.volEnc {
			t.Errorf("size %#v name %q / %q", plain.Attrs["size_gb"], plain.Name, enc.Name)
		}
		if attr(t, enc, "availability_zone") != region+"a" {
			t.Errorf("availability_zone = %v", enc.Attrs["availability_zone"])
		}
	})

	t.Run("snapshots", func(t *testing.T) {
		pub := byID(t, assets, key(asset.TypeSnapshot), arn("snapshot", s.snapPublic))
		priv := byID(t, assets, key(asset.TypeSnapshot), arn("snapshot", s.snapPriv))
		if attr(t, pub, "public") != true || attr(t, priv, "public") != false {
			t.Errorf("public: %v / %v, want true / false", pub.Attrs["public"], priv.Attrs["public"])
		}
		if sh := attr(t, priv, "shared_with").([]any); len(sh) != 1 || sh[0] != "333333333333" {
			t.Errorf("shared_with = %v, want [333333333333]", sh)
		}
		if attr(t, pub, "volume_id") != s.volPlain || attr(t, pub, "description") != "public one" || attr(t, priv, "encrypted") != true {
			t.Errorf("volume %v description %v encrypted %v", pub.Attrs["volume_id"], pub.Attrs["description"], priv.Attrs["encrypted"])
		}
	})

	t.Run("vpcs", func(t *testing.T) {
		logged := byID(t, assets, key(asset.TypeVPC), arn("vpc", s.vpcLogged))
		plain := byID(t, assets, key(asset.TypeVPC), arn("vpc", s.vpcPlain))
		if attr(t, logged, "flow_logs_enabled") != true || attr(t, plain, "flow_logs_enabled") != false {
			t.Errorf("flow_logs_enabled: %v / %v, want true / false", logged.Attrs["flow_logs_enabled"], plain.Attrs["flow_logs_enabled"])
		}
		if fl := attr(t, logged, "flow_logs").([]any); len(fl) != 1 || fl[0].(map[string]any)["traffic_type"] != "ALL" {
			t.Errorf("flow_logs = %v", fl)
		}
		if logged.Name != "logged" || attr(t, logged, "cidr") != "10.0.0.0/16" || attr(t, logged, "is_default") != false {
			t.Errorf("name %q cidr %v default %v", logged.Name, logged.Attrs["cidr"], logged.Attrs["is_default"])
		}
	})

	t.Run("eips", func(t *testing.T) {
		on := byID(t, assets, key(asset.TypeEIP), arn("elastic-ip", s.eipAttached))
		off := byID(t, assets, key(asset.TypeEIP), arn("elastic-ip", s.eipFree))
		if attr(t, on, "attached") != true || attr(t, on, "instance_id") != s.instStrict {
			t.Errorf("attached EIP: attached %v instance %v", on.Attrs["attached"], on.Attrs["instance_id"])
		}
		if attr(t, off, "attached") != false || attr(t, off, "association_id") != "" {
			t.Errorf("free EIP: attached %v association %v", off.Attrs["attached"], off.Attrs["association_id"])
		}
		if attr(t, off, "domain") != "vpc" || attr(t, off, "public_ip") == "" {
			t.Errorf("domain %v public_ip %v", off.Attrs["domain"], off.Attrs["public_ip"])
		}
	})
}
