package fix

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// defaultDBPorts are the database ports revoked when the policy gives no
// `ports` param (the ec2-sg-open-db-ports defaults).
func defaultDBPorts() []int64 { return []int64{3306, 5432, 1433, 1521, 27017, 6379, 9200} }

// sgRule is one world-open ingress rule (one CIDR of one IpPermission).
type sgRule struct {
	Protocol    string `json:"protocol"`
	FromPort    *int32 `json:"from_port"`
	ToPort      *int32 `json:"to_port"`
	CIDR        string `json:"cidr"`
	IPv6        bool   `json:"ipv6"`
	Description string `json:"description"`
}

// sgState is the world-open ingress a fix revokes.
type sgState struct {
	GroupID string   `json:"group_id"`
	Rules   []sgRule `json:"rules"`
}

// EC2RevokePublicIngress revokes the world-open (0.0.0.0/0, ::/0) ingress
// rules of a security group that cover SSH (22), RDP (3389), a database port
// (the policy's `ports` param, else the ec2-sg-open-db-ports defaults), or
// every port. Other rules, including world-open ones on other ports, stay.
type EC2RevokePublicIngress struct{}

// NewEC2RevokePublicIngress returns the ec2-revoke-public-ingress action.
func NewEC2RevokePublicIngress() Action {
	return newAction(meta{id: "ec2-revoke-public-ingress", undoable: true,
		describe: "revoke the 0.0.0.0/0 and ::/0 ingress rules that open SSH, RDP, database ports or all ports"}, EC2RevokePublicIngress{})
}

// offending reports whether a world-open rule opens a sensitive port or all ports.
func offending(r sgRule, ports []int64) bool {
	if r.Protocol == "-1" {
		return true
	}
	from, to := int64(0), int64(65535)
	if r.FromPort != nil && r.ToPort != nil {
		from, to = int64(*r.FromPort), int64(*r.ToPort)
	}
	if from <= 0 && to >= 65535 && (r.Protocol == "tcp" || r.Protocol == "udp" || r.Protocol == "6" || r.Protocol == "17") {
		return true
	}
	if r.Protocol != "tcp" && r.Protocol != "6" {
		return false
	}
	for _, p := range ports {
		if from <= p && p <= to {
			return true
		}
	}
	return false
}

func (EC2RevokePublicIngress) read(ctx context.Context, t Target) (map[string]any, error) {
	id, err := attr(t, "group_id")
	if err != nil {
		return nil, err
	}
	out, err := ec2.NewFromConfig(t.Config).DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}})
	if err != nil {
		return nil, fmt.Errorf("describe security group: %w", err)
	}
	if len(out.SecurityGroups) != 1 {
		return nil, fmt.Errorf("security group %s not found", id)
	}
	ports := []int64{22, 3389}
	if db, ok := paramInts(t.Params, "ports"); ok {
		ports = append(ports, db...)
	} else {
		ports = append(ports, defaultDBPorts()...)
	}
	st := sgState{GroupID: id, Rules: []sgRule{}}
	for _, perm := range out.SecurityGroups[0].IpPermissions {
		base := sgRule{Protocol: aws.ToString(perm.IpProtocol), FromPort: perm.FromPort, ToPort: perm.ToPort}
		if base.Protocol == "-1" {
			base.FromPort, base.ToPort = nil, nil
		}
		var cands []sgRule
		for _, r := range perm.IpRanges {
			if c := aws.ToString(r.CidrIp); c == "0.0.0.0/0" {
				x := base
				x.CIDR, x.Description = c, aws.ToString(r.Description)
				cands = append(cands, x)
			}
		}
		for _, r := range perm.Ipv6Ranges {
			if c := aws.ToString(r.CidrIpv6); c == "::/0" {
				x := base
				x.CIDR, x.IPv6, x.Description = c, true, aws.ToString(r.Description)
				cands = append(cands, x)
			}
		}
		for _, r := range cands {
			if offending(r, ports) {
				st.Rules = append(st.Rules, r)
			}
		}
	}
	sort.Slice(st.Rules, func(i, j int) bool { return ruleKey(st.Rules[i]) < ruleKey(st.Rules[j]) })
	return normalize(st), nil
}

func ruleKey(r sgRule) string {
	return fmt.Sprintf("%s/%d/%d/%s", r.Protocol, aws.ToInt32(r.FromPort), aws.ToInt32(r.ToPort), r.CIDR)
}

// permissions turns rules into the IpPermissions of a revoke or authorize call.
func permissions(rules []sgRule, withDescription bool) []ec2types.IpPermission {
	out := make([]ec2types.IpPermission, 0, len(rules))
	for _, r := range rules {
		p := ec2types.IpPermission{IpProtocol: aws.String(r.Protocol), FromPort: r.FromPort, ToPort: r.ToPort}
		var desc *string
		if withDescription && r.Description != "" {
			desc = aws.String(r.Description)
		}
		if r.IPv6 {
			p.Ipv6Ranges = []ec2types.Ipv6Range{{CidrIpv6: aws.String(r.CIDR), Description: desc}}
		} else {
			p.IpRanges = []ec2types.IpRange{{CidrIp: aws.String(r.CIDR), Description: desc}}
		}
		out = append(out, p)
	}
	return out
}

func permissionParams(rules []sgRule) []any {
	out := make([]any, 0, len(rules))
	for _, r := range rules {
		p := map[string]any{"IpProtocol": r.Protocol}
		if r.FromPort != nil {
			p["FromPort"], p["ToPort"] = *r.FromPort, aws.ToInt32(r.ToPort)
		}
		if r.IPv6 {
			p["Ipv6Ranges"] = []any{map[string]any{"CidrIpv6": r.CIDR}}
		} else {
			p["IpRanges"] = []any{map[string]any{"CidrIp": r.CIDR}}
		}
		out = append(out, p)
	}
	return out
}

func (EC2RevokePublicIngress) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st sgState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	if len(st.Rules) == 0 {
		return nil, "security group " + st.GroupID + " has no world-open rule on SSH, RDP, database or all ports", true, nil
	}
	return []Call{call("ec2", "RevokeSecurityGroupIngress", map[string]any{"GroupId": st.GroupID, "IpPermissions": permissionParams(st.Rules)})},
		fmt.Sprintf("revoke %d world-open ingress rule(s) from security group %s", len(st.Rules), st.GroupID), false, nil
}

func (a EC2RevokePublicIngress) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st sgState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	_, err := ec2.NewFromConfig(t.Config).RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{
		GroupId: aws.String(st.GroupID), IpPermissions: permissions(st.Rules, false)})
	if err != nil {
		return nil, fmt.Errorf("revoke ingress: %w", err)
	}
	after, err := a.read(ctx, t)
	if err != nil {
		return nil, err
	}
	after["revoked"] = normalize(st)["rules"]
	return after, nil
}

func (EC2RevokePublicIngress) undo(ctx context.Context, t Target, r *Record) error {
	var st sgState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if st.GroupID == "" || len(st.Rules) == 0 {
		return fmt.Errorf("record %s has no revoked rules in its before-state", r.ID)
	}
	_, err := ec2.NewFromConfig(t.Config).AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(st.GroupID), IpPermissions: permissions(st.Rules, true)})
	if err != nil {
		return fmt.Errorf("re-authorize ingress: %w", err)
	}
	return nil
}
