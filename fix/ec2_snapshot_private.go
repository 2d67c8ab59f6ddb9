package fix

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// snapshotState is whether a snapshot's createVolumePermission includes group "all".
type snapshotState struct {
	SnapshotID string `json:"snapshot_id"`
	Public     bool   `json:"public"`
}

// EC2SnapshotPrivate removes the public (group "all") create-volume
// permission of a snapshot; account shares stay.
type EC2SnapshotPrivate struct{}

// NewEC2SnapshotPrivate returns the ec2-snapshot-private action.
func NewEC2SnapshotPrivate() Action {
	return newAction(meta{id: "ec2-snapshot-private", undoable: true,
		describe: "remove the public (group all) create-volume permission of the snapshot"}, EC2SnapshotPrivate{})
}

func (EC2SnapshotPrivate) read(ctx context.Context, t Target) (map[string]any, error) {
	id, err := attr(t, "snapshot_id")
	if err != nil {
		return nil, err
	}
	out, err := ec2.NewFromConfig(t.Config).DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{
		SnapshotId: aws.String(id), Attribute: ec2types.SnapshotAttributeNameCreateVolumePermission})
	if err != nil {
		return nil, fmt.Errorf("describe snapshot attribute: %w", err)
	}
	st := snapshotState{SnapshotID: id}
	for _, p := range out.CreateVolumePermissions {
		if p.Group == ec2types.PermissionGroupAll {
			st.Public = true
		}
	}
	return normalize(st), nil
}

func (EC2SnapshotPrivate) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st snapshotState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	if !st.Public {
		return nil, "snapshot " + st.SnapshotID + " is not public", true, nil
	}
	return []Call{call("ec2", "ModifySnapshotAttribute", map[string]any{"SnapshotId": st.SnapshotID,
			"Attribute": "createVolumePermission", "OperationType": "remove", "GroupNames": []any{"all"}})},
		"make snapshot " + st.SnapshotID + " private (remove the public create-volume permission)", false, nil
}

func (a EC2SnapshotPrivate) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st snapshotState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	if err := snapshotGroupAll(ctx, t, st.SnapshotID, ec2types.OperationTypeRemove); err != nil {
		return nil, err
	}
	return a.read(ctx, t)
}

func (EC2SnapshotPrivate) undo(ctx context.Context, t Target, r *Record) error {
	var st snapshotState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if st.SnapshotID == "" {
		return fmt.Errorf("record %s has no snapshot in its before-state", r.ID)
	}
	return snapshotGroupAll(ctx, t, st.SnapshotID, ec2types.OperationTypeAdd)
}

func snapshotGroupAll(ctx context.Context, t Target, id string, op ec2types.OperationType) error {
	_, err := ec2.NewFromConfig(t.Config).ModifySnapshotAttribute(ctx, &ec2.ModifySnapshotAttributeInput{SnapshotId: aws.String(id),
		Attribute: ec2types.SnapshotAttributeNameCreateVolumePermission, OperationType: op, GroupNames: []string{"all"}})
	if err != nil {
		return fmt.Errorf("modify snapshot attribute (%s group all): %w", op, err)
	}
	return nil
}
