package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vigil-sec/vigil/asset"
)

// VPCs collects VPCs with their flow logs (aws.ec2.vpc).
type VPCs struct{}

// NewVPCs returns the VPC collector.
func NewVPCs() *VPCs { return &VPCs{} }

// Type returns aws.ec2.vpc.
func (*VPCs) Type() string { return asset.TypeVPC }

// Global reports false: VPCs are listed per region.
func (*VPCs) Global() bool { return false }

// Collect lists every VPC of the unit's region and the flow logs attached
// to each.
func (*VPCs) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.EC2()
	var logs map[string][]ec2types.FlowLog
	var vpcs []ec2types.Vpc
	// The two listings are independent: read them at the same time.
	err := parallel(ctx, 2, 2, func(ctx context.Context, i int) error {
		var err error
		if i == 0 {
			logs, err = flowLogsByResource(ctx, client)
		} else {
			vpcs, err = listVPCs(ctx, client)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]asset.Asset, 0, len(vpcs))
	for _, v := range vpcs {
		out = append(out, vpcAsset(s, v, logs[str(v.VpcId)]))
	}
	return out, nil
}

func listVPCs(ctx context.Context, client *ec2.Client) ([]ec2types.Vpc, error) {
	var vpcs []ec2types.Vpc
	p := ec2.NewDescribeVpcsPaginator(client, &ec2.DescribeVpcsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("ec2 DescribeVpcs: %w", err)
		}
		vpcs = append(vpcs, page.Vpcs...)
	}
	return vpcs, nil
}

// flowLogsByResource reads every flow log of the region, by resource ID.
func flowLogsByResource(ctx context.Context, client *ec2.Client) (map[string][]ec2types.FlowLog, error) {
	logs := map[string][]ec2types.FlowLog{}
	p := ec2.NewDescribeFlowLogsPaginator(client, &ec2.DescribeFlowLogsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("ec2 DescribeFlowLogs: %w", err)
		}
		for _, fl := range page.FlowLogs {
			logs[str(fl.ResourceId)] = append(logs[str(fl.ResourceId)], fl)
		}
	}
	return logs, nil
}

func vpcAsset(s *Session, v ec2types.Vpc, logs []ec2types.FlowLog) asset.Asset {
	id := str(v.VpcId)
	tags, name := ec2Tags(v.Tags)
	enabled := false
	flowLogs := listOf(logs, func(fl ec2types.FlowLog) any {
		status := str(fl.FlowLogStatus)
		if status == "ACTIVE" {
			enabled = true
		}
		dest := str(fl.LogDestination)
		if dest == "" {
			dest = str(fl.LogGroupName)
		}
		return map[string]any{
			"id": str(fl.FlowLogId), "status": status, "traffic_type": string(fl.TrafficType),
			"destination_type": string(fl.LogDestinationType), "destination": dest,
		}
	})
	return asset.Asset{
		ID:   ec2ARN(s, "vpc", id),
		Type: asset.TypeVPC,
		Name: nameOr(name, id),
		Tags: tags,
		Attrs: map[string]any{
			"vpc_id":            id,
			"cidr":              str(v.CidrBlock),
			"is_default":        flag(v.IsDefault),
			"state":             string(v.State),
			"flow_logs_enabled": enabled,
			"flow_logs":         flowLogs,
		},
	}
}
