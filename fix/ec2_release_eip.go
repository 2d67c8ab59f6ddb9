package fix

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// eipState is an Elastic IP and what it is associated with.
type eipState struct {
	AllocationID       string `json:"allocation_id"`
	PublicIP           string `json:"public_ip"`
	AssociationID      string `json:"association_id"`
	InstanceID         string `json:"instance_id"`
	NetworkInterfaceID string `json:"network_interface_id"`
}

// EC2ReleaseEIP releases an unattached Elastic IP. It refuses an attached
// one; a released address cannot be got back, so it is not undoable.
type EC2ReleaseEIP struct{}

// NewEC2ReleaseEIP returns the ec2-release-eip action.
func NewEC2ReleaseEIP() Action {
	return newAction(meta{id: "ec2-release-eip", destructive: true,
		describe: "release the unattached Elastic IP (destructive: the address is gone for good)"}, EC2ReleaseEIP{})
}

func (EC2ReleaseEIP) read(ctx context.Context, t Target) (map[string]any, error) {
	id, err := attr(t, "allocation_id")
	if err != nil {
		return nil, err
	}
	out, err := ec2.NewFromConfig(t.Config).DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{id}})
	if err != nil {
		return nil, fmt.Errorf("describe address: %w", err)
	}
	if len(out.Addresses) != 1 {
		return nil, fmt.Errorf("elastic IP %s not found", id)
	}
	a := out.Addresses[0]
	return normalize(eipState{AllocationID: id, PublicIP: aws.ToString(a.PublicIp), AssociationID: aws.ToString(a.AssociationId),
		InstanceID: aws.ToString(a.InstanceId), NetworkInterfaceID: aws.ToString(a.NetworkInterfaceId)}), nil
}

func (EC2ReleaseEIP) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st eipState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	if st.AssociationID != "" || st.InstanceID != "" || st.NetworkInterfaceID != "" {
		return nil, "", false, fmt.Errorf("elastic IP %s is attached (%s%s): refusing to release it", st.PublicIP, st.InstanceID, st.NetworkInterfaceID)
	}
	return []Call{call("ec2", "ReleaseAddress", map[string]any{"AllocationId": st.AllocationID})},
		"release unattached Elastic IP " + st.PublicIP + " (" + st.AllocationID + "); this cannot be undone", false, nil
}

func (EC2ReleaseEIP) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st eipState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	if _, err := ec2.NewFromConfig(t.Config).ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(st.AllocationID)}); err != nil {
		return nil, fmt.Errorf("release address: %w", err)
	}
	return map[string]any{"allocation_id": st.AllocationID, "public_ip": st.PublicIP, "released": true}, nil
}

func (EC2ReleaseEIP) undo(context.Context, Target, *Record) error { return ErrNotUndoable }
