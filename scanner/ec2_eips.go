package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vigil-sec/vigil/asset"
)

// EIPs collects Elastic IP addresses (aws.ec2.eip).
type EIPs struct{}

// NewEIPs returns the Elastic IP collector.
func NewEIPs() *EIPs { return &EIPs{} }

// Type returns aws.ec2.eip.
func (*EIPs) Type() string { return asset.TypeEIP }

// Global reports false: addresses are listed per region.
func (*EIPs) Global() bool { return false }

// Collect lists every Elastic IP of the unit's region. DescribeAddresses
// has no pages: it returns them all at once.
func (*EIPs) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	res, err := s.EC2().DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
	if err != nil {
		return nil, fmt.Errorf("ec2 DescribeAddresses: %w", err)
	}
	out := make([]asset.Asset, 0, len(res.Addresses))
	for _, a := range res.Addresses {
		out = append(out, eipAsset(s, a))
	}
	return out, nil
}

func eipAsset(s *Session, a ec2types.Address) asset.Asset {
	id := str(a.AllocationId)
	if id == "" { // EC2-Classic addresses have no allocation ID
		id = str(a.PublicIp)
	}
	tags, name := ec2Tags(a.Tags)
	return asset.Asset{
		ID:   ec2ARN(s, "elastic-ip", id),
		Type: asset.TypeEIP,
		Name: nameOr(name, id),
		Tags: tags,
		Attrs: map[string]any{
			"allocation_id":        str(a.AllocationId),
			"public_ip":            str(a.PublicIp),
			"domain":               string(a.Domain),
			"association_id":       str(a.AssociationId),
			"instance_id":          str(a.InstanceId),
			"network_interface_id": str(a.NetworkInterfaceId),
			"attached":             str(a.AssociationId) != "",
		},
	}
}
