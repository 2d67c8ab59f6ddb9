package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vigil-sec/vigil/asset"
)

// SecurityGroups collects EC2 security groups (aws.ec2.security-group).
type SecurityGroups struct{}

// NewSecurityGroups returns the security group collector.
func NewSecurityGroups() *SecurityGroups { return &SecurityGroups{} }

// Type returns aws.ec2.security-group.
func (*SecurityGroups) Type() string { return asset.TypeSecurityGroup }

// Global reports false: security groups are listed per region.
func (*SecurityGroups) Global() bool { return false }

// Collect lists every security group of the unit's region.
func (*SecurityGroups) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	var out []asset.Asset
	p := ec2.NewDescribeSecurityGroupsPaginator(s.EC2(), &ec2.DescribeSecurityGroupsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("ec2 DescribeSecurityGroups: %w", err)
		}
		for _, g := range page.SecurityGroups {
			out = append(out, securityGroupAsset(s, g))
		}
	}
	return out, nil
}

func securityGroupAsset(s *Session, g ec2types.SecurityGroup) asset.Asset {
	id := str(g.GroupId)
	tags, name := ec2Tags(g.Tags)
	return asset.Asset{
		ID:   ec2ARN(s, "security-group", id),
		Type: asset.TypeSecurityGroup,
		Name: nameOr(name, nameOr(str(g.GroupName), id)),
		Tags: tags,
		Attrs: map[string]any{
			"group_id":    id,
			"group_name":  str(g.GroupName),
			"description": str(g.Description),
			"vpc_id":      str(g.VpcId),
			"is_default":  str(g.GroupName) == "default",
			"ingress":     flattenRules(g.IpPermissions),
			"egress":      flattenRules(g.IpPermissionsEgress),
		},
	}
}

// flattenRules turns IpPermissions into one rule per source (CIDR, IPv6
// CIDR, security group or prefix list), the shape policies match on.
func flattenRules(perms []ec2types.IpPermission) []any {
	rules := []any{}
	for _, p := range perms {
		proto := protocolName(str(p.IpProtocol))
		from, to := i64(p.FromPort), i64(p.ToPort)
		if proto == "-1" || ((proto == "tcp" || proto == "udp") && p.FromPort == nil && p.ToPort == nil) {
			from, to = 0, 65535
		}
		rule := func(cidr string, ipv6 bool, group, prefix, desc *string) any {
			return map[string]any{
				"protocol": proto, "from_port": from, "to_port": to,
				"cidr": cidr, "ipv6": ipv6, "source_group": str(group),
				"prefix_list": str(prefix), "description": str(desc),
			}
		}
		for _, r := range p.IpRanges {
			rules = append(rules, rule(str(r.CidrIp), false, nil, nil, r.Description))
		}
		for _, r := range p.Ipv6Ranges {
			rules = append(rules, rule(str(r.CidrIpv6), true, nil, nil, r.Description))
		}
		for _, r := range p.UserIdGroupPairs {
			rules = append(rules, rule("", false, r.GroupId, nil, r.Description))
		}
		for _, r := range p.PrefixListIds {
			rules = append(rules, rule("", false, nil, r.PrefixListId, r.Description))
		}
	}
	return rules
}

// protocolName maps the IANA numbers AWS keeps when a rule was written with
// them to the names policies compare against.
func protocolName(p string) string {
	switch p {
	case "6":
		return "tcp"
	case "17":
		return "udp"
	case "1":
		return "icmp"
	case "58":
		return "icmpv6"
	case "", "all":
		return "-1"
	}
	return p
}
