package demo

import (
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/asset"
)

// byID indexes assets by ID.
func byID(as []asset.Asset) map[string]*asset.Asset {
	m := make(map[string]*asset.Asset, len(as))
	for i := range as {
		m[as[i].ID] = &as[i]
	}
	return m
}

// ec2ARN is the ARN of an EC2 resource in the asset's account and region.
func ec2ARN(a *asset.Asset, kind, id string) string {
	return "arn:aws:ec2:" + a.Region + ":" + a.Account + ":" + kind + "/" + id
}

func TestCrossReferencesResolve(t *testing.T) {
	inv := Inventory(testNow)
	ids := byID(inv)
	mustExist := func(from *asset.Asset, id, typ string) *asset.Asset {
		t.Helper()
		to, ok := ids[id]
		if !ok || to.Type != typ {
			t.Errorf("%s refers to %s, which is not a %s in the inventory", from.ID, id, typ)
			return nil
		}
		return to
	}
	for i := range inv {
		a := &inv[i]
		switch a.Type {
		case asset.TypeEC2Instance:
			for _, sg := range a.Attrs["security_group_ids"].([]any) {
				to := mustExist(a, ec2ARN(a, "security-group", sg.(string)), asset.TypeSecurityGroup)
				if to != nil && to.Attrs["vpc_id"] != a.Attrs["vpc_id"] {
					t.Errorf("%s uses %s from another VPC", a.ID, to.ID)
				}
			}
			for _, v := range a.Attrs["volume_ids"].([]any) {
				vol := mustExist(a, ec2ARN(a, "volume", v.(string)), asset.TypeVolume)
				if vol == nil {
					continue
				}
				att := vol.Attrs["attachments"].([]any)
				if len(att) != 1 || att[0].(map[string]any)["instance_id"] != a.Attrs["instance_id"] {
					t.Errorf("volume %s does not name its instance %s", vol.ID, a.ID)
				}
			}
		case asset.TypeVolume:
			for _, at := range a.Attrs["attachments"].([]any) {
				mustExist(a, ec2ARN(a, "instance", at.(map[string]any)["instance_id"].(string)), asset.TypeEC2Instance)
			}
			if (a.Attrs["state"] == "available") != (len(a.Attrs["attachments"].([]any)) == 0) {
				t.Errorf("volume %s state %v does not match its attachments", a.ID, a.Attrs["state"])
			}
		case asset.TypeEIP:
			if inst := a.Attrs["instance_id"].(string); inst != "" {
				mustExist(a, ec2ARN(a, "instance", inst), asset.TypeEC2Instance)
			}
		case asset.TypeSnapshot:
			mustExist(a, ec2ARN(a, "volume", a.Attrs["volume_id"].(string)), asset.TypeVolume)
		case asset.TypeRDSInstance:
			for _, sg := range a.Attrs["vpc_security_group_ids"].([]any) {
				mustExist(a, ec2ARN(a, "security-group", sg.(string)), asset.TypeSecurityGroup)
			}
		case asset.TypeRDSSnapshot:
			mustExist(a, "arn:aws:rds:"+a.Region+":"+a.Account+":db:"+a.Attrs["db_instance_identifier"].(string), asset.TypeRDSInstance)
		case asset.TypeLambda:
			role := mustExist(a, a.Attrs["role"].(string), asset.TypeIAMRole)
			if role != nil && role.Account != a.Account {
				t.Errorf("%s runs as a role of another account", a.ID)
			}
		case asset.TypeLoadBalancer:
			for _, sg := range a.Attrs["security_group_ids"].([]any) {
				mustExist(a, ec2ARN(a, "security-group", sg.(string)), asset.TypeSecurityGroup)
			}
		case asset.TypeVulnFinding:
			mustExist(a, a.Attrs["target"].(string), asset.TypeEC2Instance)
		}
	}
}

// worldOpen reports whether an ingress rule admits the internet on port.
func worldOpen(r map[string]any, port int64) bool {
	if r["cidr"] != "0.0.0.0/0" && r["cidr"] != "::/0" {
		return false
	}
	return r["protocol"] == "-1" || (r["protocol"] == "tcp" && r["from_port"].(int64) <= port && port <= r["to_port"].(int64))
}

func sgOpen(port int64) func(a *asset.Asset) bool {
	return func(a *asset.Asset) bool {
		for _, r := range a.Attrs["ingress"].([]any) {
			if worldOpen(r.(map[string]any), port) {
				return true
			}
		}
		return false
	}
}

func attr(a *asset.Asset, path string) any {
	v, _ := asset.Get(a.Attrs, path)
	return v
}

// TestMisconfigurationSpread checks that every required policy has
// something to find, while the estate stays mostly compliant.
func TestMisconfigurationSpread(t *testing.T) {
	inv := Inventory(testNow)
	highVuln := map[string]bool{}
	for _, a := range inv {
		if a.Type == asset.TypeVulnFinding && a.Attrs["cvss"].(float64) >= 7 {
			highVuln[a.Attrs["target"].(string)] = true
		}
	}
	deprecated := func(a *asset.Asset) bool { return slices.Contains(oldRuntimes, a.Attrs["runtime"].(string)) }
	cases := []struct {
		name, typ string
		fails     func(a *asset.Asset) bool
		maxShare  float64
	}{
		{"sg open ssh", asset.TypeSecurityGroup, sgOpen(22), 0.2},
		{"sg open rdp", asset.TypeSecurityGroup, sgOpen(3389), 0.1},
		{"sg open postgres or mysql", asset.TypeSecurityGroup, func(a *asset.Asset) bool {
			return slices.ContainsFunc(dbPorts[:], func(p int64) bool { return sgOpen(p)(a) })
		}, 0.1},
		{"default sg has rules", asset.TypeSecurityGroup, func(a *asset.Asset) bool {
			return a.Attrs["is_default"] == true && len(a.Attrs["ingress"].([]any))+len(a.Attrs["egress"].([]any)) > 0
		}, 0.1},
		{"imdsv1", asset.TypeEC2Instance, func(a *asset.Asset) bool { return attr(a, "imds.http_tokens") == "optional" }, 0.3},
		{"public ip", asset.TypeEC2Instance, func(a *asset.Asset) bool { return a.Attrs["public_ip"] != "" }, 0.3},
		{"critical vulnerability", asset.TypeEC2Instance, func(a *asset.Asset) bool { return highVuln[a.ID] }, 0.3},
		{"volume unencrypted", asset.TypeVolume, func(a *asset.Asset) bool { return a.Attrs["encrypted"] == false }, 0.3},
		{"volume unattached", asset.TypeVolume, func(a *asset.Asset) bool { return a.Attrs["state"] == "available" }, 0.3},
		{"snapshot public", asset.TypeSnapshot, func(a *asset.Asset) bool { return a.Attrs["public"] == true }, 0.1},
		{"eip unattached", asset.TypeEIP, func(a *asset.Asset) bool { return a.Attrs["attached"] == false }, 0.3},
		{"vpc without flow logs", asset.TypeVPC, func(a *asset.Asset) bool { return a.Attrs["flow_logs_enabled"] == false }, 0.5},
		{"bucket without BPA", asset.TypeS3Bucket, func(a *asset.Asset) bool { return attr(a, "public_access_block.configured") == false }, 0.3},
		{"bucket public ACL", asset.TypeS3Bucket, func(a *asset.Asset) bool {
			return slices.ContainsFunc(attr(a, "acl.grants").([]any), func(g any) bool {
				return g.(map[string]any)["grantee"] == "AllUsers" || g.(map[string]any)["grantee"] == "AuthenticatedUsers"
			})
		}, 0.1},
		{"bucket public policy", asset.TypeS3Bucket, func(a *asset.Asset) bool {
			p, _ := a.Attrs["policy"].(map[string]any)
			return p != nil && slices.ContainsFunc(p["statements"].([]any), func(s any) bool {
				st := s.(map[string]any)
				return st["effect"] == "Allow" && slices.Contains(st["principals"].([]any), any("*"))
			})
		}, 0.1},
		{"bucket unencrypted", asset.TypeS3Bucket, func(a *asset.Asset) bool { return attr(a, "encryption.enabled") == false }, 0.3},
		{"bucket unversioned", asset.TypeS3Bucket, func(a *asset.Asset) bool { return attr(a, "versioning.status") != "Enabled" }, 0.35},
		{"bucket without logging", asset.TypeS3Bucket, func(a *asset.Asset) bool { return attr(a, "logging.enabled") == false }, 0.35},
		{"console user without MFA", asset.TypeIAMUser, func(a *asset.Asset) bool {
			return a.Attrs["password_enabled"] == true && a.Attrs["mfa_active"] == false
		}, 0.3},
		{"old active key", asset.TypeIAMUser, func(a *asset.Asset) bool {
			return slices.ContainsFunc(a.Attrs["access_keys"].([]any), func(k any) bool {
				m := k.(map[string]any)
				return m["status"] == "Active" && m["created"].(string) < ts(testNow, days(90))
			})
		}, 0.3},
		{"user with direct policies", asset.TypeIAMUser, func(a *asset.Asset) bool {
			return len(a.Attrs["attached_policies"].([]any))+len(a.Attrs["inline_policies"].([]any)) > 0
		}, 0.3},
		{"full admin policy", asset.TypeIAMPolicy, func(a *asset.Asset) bool {
			return strings.Contains(asset.String(attr(a, "document.statements")), "actions:[*]")
		}, 0.2},
		{"rds public", asset.TypeRDSInstance, func(a *asset.Asset) bool { return a.Attrs["publicly_accessible"] == true }, 0.2},
		{"rds unencrypted", asset.TypeRDSInstance, func(a *asset.Asset) bool { return a.Attrs["storage_encrypted"] == false }, 0.3},
		{"rds low retention", asset.TypeRDSInstance, func(a *asset.Asset) bool { return a.Attrs["backup_retention_period"].(int64) < 7 }, 0.3},
		{"rds snapshot public", asset.TypeRDSSnapshot, func(a *asset.Asset) bool { return a.Attrs["public"] == true }, 0.15},
		{"lambda deprecated runtime", asset.TypeLambda, deprecated, 0.3},
		{"lambda public", asset.TypeLambda, func(a *asset.Asset) bool {
			return strings.Contains(asset.String(a.Attrs["policy"]), "principals:[*]")
		}, 0.1},
		{"kms rotation off", asset.TypeKMSKey, func(a *asset.Asset) bool {
			return a.Attrs["key_spec"] == "SYMMETRIC_DEFAULT" && a.Attrs["key_state"] == "Enabled" && a.Attrs["rotation_enabled"] == false
		}, 0.35},
		{"elb http listener", asset.TypeLoadBalancer, func(a *asset.Asset) bool {
			return slices.ContainsFunc(a.Attrs["listeners"].([]any), func(l any) bool {
				m := l.(map[string]any)
				act := m["default_actions"].([]any)[0].(map[string]any)
				return m["protocol"] == "HTTP" && act["redirect_protocol"] != "HTTPS"
			})
		}, 0.3},
		{"non-approved region", asset.TypeEC2Instance, func(a *asset.Asset) bool { return a.Region == "ap-southeast-2" }, 0.2},
		{"missing required tag", asset.TypeEC2Instance, func(a *asset.Asset) bool {
			return a.Tags["Application"] == "" || a.Tags["Environment"] == "" || a.Tags["Owner"] == ""
		}, 0.3},
	}
	for _, c := range cases {
		total, fails := 0, 0
		for i := range inv {
			if inv[i].Type != c.typ {
				continue
			}
			total++
			if c.fails(&inv[i]) {
				fails++
			}
		}
		share := float64(fails) / float64(total)
		t.Logf("%-28s %3d of %4d (%.0f%%)", c.name, fails, total, share*100)
		if fails == 0 || share > c.maxShare {
			t.Errorf("%s: %d of %d assets fail; want some, at most %.0f%%", c.name, fails, total, c.maxShare*100)
		}
	}
}

func TestTrailsAndAccountsHaveFindings(t *testing.T) {
	var noValidation, noKMS, accountsWeak int
	for _, a := range Inventory(testNow) {
		switch a.Type {
		case asset.TypeTrail:
			if a.Attrs["log_file_validation"] == false {
				noValidation++
			}
			if a.Attrs["kms_key_id"] == "" {
				noKMS++
			}
		case asset.TypeAccount:
			if attr(&a, "root.mfa_enabled") == false || attr(&a, "s3_public_access_block.configured") == false {
				accountsWeak++
			}
		}
	}
	if noValidation == 0 || noKMS == 0 {
		t.Errorf("want trails without validation (%d) and without KMS (%d)", noValidation, noKMS)
	}
	if accountsWeak == 0 || accountsWeak == 3 {
		t.Errorf("%d of 3 accounts have weak root/BPA settings; want some but not all", accountsWeak)
	}
}
