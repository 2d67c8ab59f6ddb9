package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestNetworkACLsAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "eu-west-1")
	ctx, ok := context.Background(), docsOK(t)
	e := s.EC2()
	before, err := e.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{})
	ok(before, err)
	vpc, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	ok(vpc, err)
	acl, err := e.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: vpc.Vpc.VpcId,
		TagSpecifications: nameTag(ec2types.ResourceTypeNetworkAcl, "dmz")})
	ok(acl, err)
	entry := func(n int32, proto string, action ec2types.RuleAction, from, to int32) {
		in := &ec2.CreateNetworkAclEntryInput{NetworkAclId: acl.NetworkAcl.NetworkAclId, RuleNumber: aws.Int32(n),
			Protocol: aws.String(proto), RuleAction: action, Egress: aws.Bool(false), CidrBlock: aws.String("0.0.0.0/0")}
		if proto == "6" {
			in.PortRange = &ec2types.PortRange{From: aws.Int32(from), To: aws.Int32(to)}
		}
		ok(e.CreateNetworkAclEntry(ctx, in))
	}
	entry(200, "-1", ec2types.RuleActionAllow, 0, 0)
	entry(100, "6", ec2types.RuleActionDeny, 22, 22)

	got := docsCollect(t, NewNetworkACLs(), s)
	// the region's default VPC's ACL(s), the new VPC's default ACL and ours
	if want := len(before.NetworkAcls) + 2; len(got) != want {
		t.Fatalf("%d network ACLs, want %d", len(got), want)
	}
	id := aws.ToString(acl.NetworkAcl.NetworkAclId)
	a, found := got["arn:aws:ec2:eu-west-1:"+docsTestAccount+":network-acl/"+id]
	if !found {
		t.Fatalf("ACL %s not collected under its ARN: %v", id, got)
	}
	if a.Name != "dmz" {
		t.Errorf("name = %q, want the Name tag", a.Name)
	}
	docsHasKeys(t, a, "network_acl_id", "vpc_id", "is_default", "entries", "subnet_ids")
	docsWant(t, a, "network_acl_id", id)
	docsWant(t, a, "vpc_id", aws.ToString(vpc.Vpc.VpcId))
	docsWant(t, a, "is_default", false)
	var inbound []map[string]any
	for _, x := range docsList(t, a, "entries") {
		if m := x.(map[string]any); m["egress"] == false {
			inbound = append(inbound, m)
		}
	}
	if len(inbound) < 2 {
		t.Fatalf("inbound entries %v, want ours", inbound)
	}
	first, second := inbound[0], inbound[1]
	if first["rule_number"] != int64(100) || first["rule_action"] != "deny" || first["protocol"] != "6" ||
		first["from_port"] != int64(22) || first["to_port"] != int64(22) || first["cidr"] != "0.0.0.0/0" {
		t.Errorf("first inbound entry %v, want rule 100 deny tcp 22 from 0.0.0.0/0 (entries sorted by rule number)", first)
	}
	if second["rule_number"] != int64(200) || second["protocol"] != "-1" || second["from_port"] != int64(0) || second["to_port"] != int64(65535) {
		t.Errorf("second inbound entry %v, want rule 200 all traffic over ports 0-65535", second)
	}
}
