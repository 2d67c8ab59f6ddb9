package demo

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

// The compliant values of the fixes that are more than one flag, computed
// as the real actions in package fix compute them.

// field returns one value of a state map.
func field(st any, k string) any { m, _ := st.(map[string]any); return m[k] }

// str returns a string value of a state map.
func str(st any, k string) string { s, _ := field(st, k).(string); return s }

// toInt reads an integer of any number type (int64 from a document,
// float64 from JSON, int from YAML params).
func toInt(v any) (int64, bool) {
	f, ok := normalizeValue(v).(float64)
	return int64(f), ok
}

// paramInt reads an integer policy param.
func paramInt(params map[string]any, k string) (int64, bool) {
	v, ok := params[k]
	if !ok {
		return 0, false
	}
	return toInt(v)
}

// items returns a list value as its elements.
func items(v any) []any { l, _ := v.([]any); return l }

// missing returns the elements of from that are not in kept.
func missing(from, kept any) []any {
	var out []any
	for _, e := range items(from) {
		if !slices.ContainsFunc(items(kept), func(k any) bool { return reflect.DeepEqual(e, k) }) {
			out = append(out, e)
		}
	}
	return out
}

// privateACL is the bucket ACL without its AllUsers and AuthenticatedUsers grants.
func privateACL(cur any, _ map[string]any, _ time.Time) any {
	kept := []any{}
	for _, g := range items(field(cur, "grants")) {
		if s := str(g, "grantee"); s != "AllUsers" && s != "AuthenticatedUsers" {
			kept = append(kept, g)
		}
	}
	return map[string]any{"owner": field(cur, "owner"), "grants": kept}
}

func aclCalls(name string, _, want any) []fix.Call {
	return []fix.Call{call("s3", "PutBucketAcl", map[string]any{"Bucket": name, "AccessControlPolicy": map[string]any{
		"Owner": map[string]any{"ID": field(want, "owner")}, "Grants": field(want, "grants")}})}
}

func aclSummary(name string, cur, want any) string {
	return fmt.Sprintf("remove %d public grant(s) from the ACL of bucket %s", len(missing(field(cur, "grants"), field(want, "grants"))), name)
}

// defaultDBPorts are the ec2-sg-open-db-ports defaults, used when the
// policy gives no `ports` param.
func defaultDBPorts() []int64 { return []int64{3306, 5432, 1433, 1521, 27017, 6379, 9200} }

// offending reports whether a flattened ingress rule opens SSH, RDP, a
// database port or all ports to the whole internet.
func offending(r any, ports []int64) bool {
	if c := str(r, "cidr"); c != "0.0.0.0/0" && c != "::/0" {
		return false
	}
	proto := str(r, "protocol")
	if proto == "-1" {
		return true
	}
	from, _ := toInt(field(r, "from_port"))
	to, _ := toInt(field(r, "to_port"))
	if from <= 0 && to >= 65535 && (proto == "tcp" || proto == "udp" || proto == "6" || proto == "17") {
		return true
	}
	if proto != "tcp" && proto != "6" {
		return false
	}
	return slices.ContainsFunc(ports, func(p int64) bool { return from <= p && p <= to })
}

// closedIngress is the ingress without its offending world-open rules.
func closedIngress(cur any, params map[string]any, _ time.Time) any {
	ports := []int64{22, 3389}
	if l := items(params["ports"]); l != nil {
		for _, p := range l {
			if n, ok := toInt(p); ok {
				ports = append(ports, n)
			}
		}
	} else {
		ports = append(ports, defaultDBPorts()...)
	}
	kept := []any{}
	for _, r := range items(cur) {
		if !offending(r, ports) {
			kept = append(kept, r)
		}
	}
	return kept
}

func revokeCalls(name string, cur, want any) []fix.Call {
	var perms []any
	for _, r := range missing(cur, want) {
		p := map[string]any{"IpProtocol": str(r, "protocol")}
		if p["IpProtocol"] != "-1" {
			p["FromPort"], p["ToPort"] = field(r, "from_port"), field(r, "to_port")
		}
		if field(r, "ipv6") == true {
			p["Ipv6Ranges"] = []any{map[string]any{"CidrIpv6": str(r, "cidr")}}
		} else {
			p["IpRanges"] = []any{map[string]any{"CidrIp": str(r, "cidr")}}
		}
		perms = append(perms, p)
	}
	return []fix.Call{call("ec2", "RevokeSecurityGroupIngress", map[string]any{"GroupId": name, "IpPermissions": perms})}
}

func revokeSummary(name string, cur, want any) string {
	return fmt.Sprintf("revoke %d world-open ingress rule(s) from security group %s", len(missing(cur, want)), name)
}

// allRegionsOn turns EBS encryption by default on in every region.
func allRegionsOn(cur any, _ map[string]any, _ time.Time) any {
	m, _ := cur.(map[string]any)
	out := make(map[string]any, len(m))
	for r := range m {
		out[r] = true
	}
	return out
}

// offRegions lists the regions where EBS encryption by default is off.
func offRegions(cur any) []string {
	m, _ := cur.(map[string]any)
	var out []string
	for r, on := range m {
		if on != true {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

func ebsCalls(_ string, cur, _ any) []fix.Call {
	var out []fix.Call
	for _, r := range offRegions(cur) {
		out = append(out, call("ec2", "EnableEbsEncryptionByDefault", map[string]any{"Region": r}))
	}
	return out
}

func ebsSummary(name string, cur, _ any) string {
	return fmt.Sprintf("turn on EBS encryption by default in %s of account %s", strings.Join(offRegions(cur), ", "), name)
}

// eipAttached refuses to release an attached Elastic IP.
func eipAttached(st map[string]any) error {
	if str(st, "association_id") != "" || str(st, "instance_id") != "" || str(st, "network_interface_id") != "" {
		return fmt.Errorf("elastic IP %s is attached (%s%s): refusing to release it", str(st, "public_ip"), str(st, "instance_id"), str(st, "network_interface_id"))
	}
	return nil
}

// volumeAttached refuses to delete a volume that is attached or not available.
func volumeAttached(st map[string]any) error {
	if len(items(st["attachments"])) > 0 || str(st, "state") != "available" {
		return fmt.Errorf("volume %s is %s (attached to %s): refusing to delete it", str(st, "volume_id"), str(st, "state"), compact(st["attachments"]))
	}
	return nil
}

func volumeCalls(name string, _, _ any) []fix.Call {
	return []fix.Call{
		call("ec2", "CreateSnapshot", map[string]any{"VolumeId": name, "Description": "vigil: before deleting " + name}),
		call("ec2", "DeleteVolume", map[string]any{"VolumeId": name}),
	}
}

// deactivatedKeys is the user's keys with the offending active ones
// inactive: older than max_age_days, unused for more than max_unused_days
// (never used counts from creation), or, with neither param, every active
// key but the newest.
func deactivatedKeys(cur any, params map[string]any, now time.Time) any {
	maxAge, byAge := paramInt(params, "max_age_days")
	maxUnused, byUse := paramInt(params, "max_unused_days")
	out, _ := deepCopy(cur).([]any)
	var active []map[string]any
	for _, e := range out {
		k, _ := e.(map[string]any)
		if k == nil || k["status"] != "Active" {
			continue
		}
		active = append(active, k)
		created, used := str(k, "created"), str(k, "last_used")
		if used == "" {
			used = created
		}
		if (byAge && rules.DaysSince(created, now) > maxAge) || (byUse && rules.DaysSince(used, now) > maxUnused) {
			k["status"] = "Inactive"
		}
	}
	if !byAge && !byUse && len(active) > 1 {
		sort.Slice(active, func(i, j int) bool {
			if a, b := str(active[i], "created"), str(active[j], "created"); a != b {
				return a > b
			}
			return str(active[i], "id") > str(active[j], "id")
		})
		for _, k := range active[1:] {
			k["status"] = "Inactive"
		}
	}
	return out
}

// changedKeys lists the IDs of the keys the fix deactivates.
func changedKeys(cur, want any) []string {
	var ids []string
	for _, k := range missing(want, cur) {
		ids = append(ids, str(k, "id"))
	}
	return ids
}

func keyCalls(name string, cur, want any) []fix.Call {
	var out []fix.Call
	for _, id := range changedKeys(cur, want) {
		out = append(out, call("iam", "UpdateAccessKey", map[string]any{"UserName": name, "AccessKeyId": id, "Status": "Inactive"}))
	}
	return out
}

func keySummary(name string, cur, want any) string {
	return fmt.Sprintf("deactivate access key(s) %s of user %s", strings.Join(changedKeys(cur, want), ", "), name)
}

// cisPasswordPolicy is the password policy the fix sets: the CIS floors
// (raised by the policy's params) without weakening a stricter setting.
func cisPasswordPolicy(cur any, params map[string]any, _ time.Time) any {
	minLen, reuse := int64(14), int64(24)
	if n, ok := paramInt(params, "min_length"); ok && n > minLen {
		minLen = n
	}
	if n, ok := paramInt(params, "reuse_prevention"); ok && n > reuse {
		reuse = n
	}
	curLen, _ := toInt(field(cur, "minimum_length"))
	curReuse, _ := toInt(field(cur, "reuse_prevention"))
	curAge, _ := toInt(field(cur, "max_age_days"))
	age := int64(90)
	if field(cur, "present") == true && curAge > 0 && curAge < 90 {
		age = curAge
	}
	return map[string]any{"present": true, "minimum_length": max(minLen, curLen), "require_symbols": true, "require_numbers": true,
		"require_uppercase": true, "require_lowercase": true, "allow_users_to_change": true, "max_age_days": age,
		"reuse_prevention": min(max(reuse, curReuse), 24), // AWS allows at most 24
		"hard_expiry":      field(cur, "hard_expiry") == true}
}

func passwordCalls(_ string, _, want any) []fix.Call {
	return []fix.Call{call("iam", "UpdateAccountPasswordPolicy", map[string]any{
		"MinimumPasswordLength": field(want, "minimum_length"), "RequireSymbols": true, "RequireNumbers": true,
		"RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true, "AllowUsersToChangePassword": true,
		"MaxPasswordAge": field(want, "max_age_days"), "PasswordReusePrevention": field(want, "reuse_prevention"),
		"HardExpiry": field(want, "hard_expiry")})}
}

func passwordSummary(name string, _, want any) string {
	return fmt.Sprintf("set the password policy of account %s (min length %v, reuse %v, max age %v days, all character classes)",
		name, field(want, "minimum_length"), field(want, "reuse_prevention"), field(want, "max_age_days"))
}
