package scanner

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vigil-sec/vigil/asset"
)

// NetworkACLs collects the VPC network ACLs (aws.ec2.network-acl) with
// their entries in rule-number order, the order AWS evaluates them in.
type NetworkACLs struct{}

// NewNetworkACLs returns the network ACL collector.
func NewNetworkACLs() *NetworkACLs { return &NetworkACLs{} }

// Type returns aws.ec2.network-acl.
func (*NetworkACLs) Type() string { return asset.TypeNetworkACL }

// Global reports false: network ACLs are listed per region.
func (*NetworkACLs) Global() bool { return false }

// Collect lists every network ACL of the unit's region (one paged
// DescribeNetworkAcls; entries and associations come with each ACL).
func (*NetworkACLs) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	out := []asset.Asset{}
	p := ec2.NewDescribeNetworkAclsPaginator(s.EC2(), &ec2.DescribeNetworkAclsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("ec2 DescribeNetworkAcls: %w", err)
		}
		for _, n := range page.NetworkAcls {
			out = append(out, networkACLAsset(s, n))
		}
	}
	return out, nil
}

func networkACLAsset(s *Session, n ec2types.NetworkAcl) asset.Asset {
	id := str(n.NetworkAclId)
	tags, name := ec2Tags(n.Tags)
	entries := append([]ec2types.NetworkAclEntry(nil), n.Entries...)
	sort.SliceStable(entries, func(i, j int) bool { return i64(entries[i].RuleNumber) < i64(entries[j].RuleNumber) })
	attrs := map[string]any{
		"network_acl_id": id,
		"vpc_id":         str(n.VpcId),
		"is_default":     flag(n.IsDefault),
		"entries":        listOf(entries, networkACLEntry),
		"subnet_ids": listOf(n.Associations, func(a ec2types.NetworkAclAssociation) any {
			return str(a.SubnetId)
		}),
	}
	return docsAsset(s, asset.TypeNetworkACL, ec2ARN(s, "network-acl", id), nameOr(name, id), s.Region, tags, attrs)
}

// networkACLEntry flattens one entry; an entry without a port range (all
// traffic, ICMP) covers ports 0-65535.
func networkACLEntry(e ec2types.NetworkAclEntry) any {
	cidr := str(e.CidrBlock)
	if cidr == "" {
		cidr = str(e.Ipv6CidrBlock)
	}
	from, to := int64(0), int64(65535)
	if e.PortRange != nil {
		from, to = i64(e.PortRange.From), i64(e.PortRange.To)
	}
	return map[string]any{
		"rule_number": i64(e.RuleNumber),
		"protocol":    str(e.Protocol),
		"rule_action": string(e.RuleAction),
		"egress":      flag(e.Egress),
		"cidr":        cidr,
		"from_port":   from,
		"to_port":     to,
	}
}
