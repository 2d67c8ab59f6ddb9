package scanner

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vigil-sec/vigil/asset"
)

// docKeys are the attribute keys docs/ATTRIBUTES.md promises for each type
// this package's regional collectors produce: all present, no others.
var docKeys = map[string]string{
	asset.TypeEC2Instance:   "instance_id state instance_type image_id launch_time platform vpc_id subnet_id private_ip public_ip security_group_ids volume_ids iam_instance_profile imds monitoring",
	asset.TypeSecurityGroup: "group_id group_name description vpc_id is_default ingress egress",
	asset.TypeVolume:        "volume_id state size_gb volume_type encrypted kms_key_id snapshot_id availability_zone create_time attachments",
	asset.TypeSnapshot:      "snapshot_id volume_id size_gb encrypted kms_key_id state start_time description public shared_with",
	asset.TypeVPC:           "vpc_id cidr is_default state flow_logs_enabled flow_logs",
	asset.TypeEIP:           "allocation_id public_ip domain association_id instance_id network_interface_id attached",
	asset.TypeRDSInstance:   "db_instance_identifier engine engine_version instance_class status publicly_accessible storage_encrypted kms_key_id auto_minor_version_upgrade backup_retention_period multi_az vpc_security_group_ids endpoint",
	asset.TypeRDSSnapshot:   "snapshot_identifier db_instance_identifier engine encrypted snapshot_type status create_time public shared_with",
	asset.TypeLoadBalancer:  "lb_name dns_name scheme lb_type vpc_id state security_group_ids listeners",
}

// Keys of nested objects, by the attribute that holds them.
var nestedKeys = map[string]string{
	"imds":            "http_tokens http_endpoint hop_limit",
	"ingress":         "protocol from_port to_port cidr ipv6 source_group prefix_list description",
	"egress":          "protocol from_port to_port cidr ipv6 source_group prefix_list description",
	"attachments":     "instance_id device state",
	"flow_logs":       "id status traffic_type destination_type destination",
	"listeners":       "arn port protocol ssl_policy default_actions",
	"default_actions": "type redirect_protocol",
}

// timeKeys hold timestamps: RFC3339 in UTC, or "".
var timeKeys = map[string]bool{"launch_time": true, "create_time": true, "start_time": true}

// checkDoc fails when a document breaks the attribute contract: missing or
// extra keys, a value that is not JSON-shaped (ints must be int64, lists
// []any, never nil), or a timestamp that is not RFC3339 UTC.
func checkDoc(t *testing.T, a asset.Asset) {
	t.Helper()
	want, ok := docKeys[a.Type]
	if !ok {
		t.Errorf("%s: unexpected type %q", a.ID, a.Type)
		return
	}
	checkKeys(t, a.ID, a.Type, a.Attrs, want)
	for k, v := range a.Attrs {
		checkValue(t, a.ID+" "+k, k, v)
	}
}

func checkKeys(t *testing.T, id, what string, m map[string]any, want string) {
	t.Helper()
	got := make([]string, 0, len(m))
	for k := range m {
		got = append(got, k)
	}
	w := strings.Fields(want)
	sort.Strings(got)
	sort.Strings(w)
	if strings.Join(got, " ") != strings.Join(w, " ") {
		t.Errorf("%s: %s keys\n got %v\nwant %v", id, what, got, w)
	}
}

func checkValue(t *testing.T, where, key string, v any) {
	t.Helper()
	switch x := v.(type) {
	case string:
		if timeKeys[key] && x != "" {
			if ts, err := time.Parse(time.RFC3339, x); err != nil || ts.Location() != time.UTC {
				t.Errorf("%s = %q, want RFC3339 UTC", where, x)
			}
		}
	case bool, int64, float64:
	case []any:
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				if want, ok := nestedKeys[key]; ok {
					checkKeys(t, where, key, m, want)
				}
				for k, ev := range m {
					checkValue(t, where+"."+k, k, ev)
				}
				continue
			}
			checkValue(t, where+"[]", key, e)
		}
	case map[string]any:
		if want, ok := nestedKeys[key]; ok {
			checkKeys(t, where, key, x, want)
		}
		for k, ev := range x {
			checkValue(t, where+"."+k, k, ev)
		}
	default:
		t.Errorf("%s is %T (%v), not a document value", where, v, v)
	}
}

func TestStampIsRFC3339UTC(t *testing.T) {
	ts := time.Date(2026, 3, 1, 14, 30, 0, 0, time.FixedZone("CET", 3600))
	if got := stamp(&ts); got != "2026-03-01T13:30:00Z" {
		t.Errorf("stamp = %q", got)
	}
	if got := stamp(nil); got != "" {
		t.Errorf("stamp(nil) = %q", got)
	}
}

func TestFlattenRulesNamesProtocolsAndFillsAllPorts(t *testing.T) {
	rules := flattenRules([]ec2types.IpPermission{
		{IpProtocol: aws.String("6"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.0.0.0/8")}}},
		{IpProtocol: aws.String("-1"), FromPort: aws.Int32(-1), ToPort: aws.Int32(-1), PrefixListIds: []ec2types.PrefixListId{{PrefixListId: aws.String("pl-1")}}},
		{IpProtocol: aws.String("udp"), FromPort: aws.Int32(53), ToPort: aws.Int32(53), Ipv6Ranges: []ec2types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}},
	})
	want := []string{"tcp 0 65535 10.0.0.0/8 false ", "-1 0 65535  false pl-1", "udp 53 53 ::/0 true "}
	if len(rules) != len(want) {
		t.Fatalf("%d rules, want %d", len(rules), len(want))
	}
	for i, r := range rules {
		m := r.(map[string]any)
		got := fmt.Sprint(m["protocol"], " ", m["from_port"], " ", m["to_port"], " ", m["cidr"], " ", m["ipv6"], " ", m["prefix_list"])
		if got != want[i] {
			t.Errorf("rule %d = %q, want %q", i, got, want[i])
		}
	}
}
