package fix

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// DefaultSnapshotWait bounds how long a volume deletion waits for its
// safety snapshot to complete.
const DefaultSnapshotWait = 30 * time.Minute

// volumeState is a volume as a fix state keeps it: enough to recreate it.
type volumeState struct {
	VolumeID         string            `json:"volume_id"`
	State            string            `json:"state"`
	Attachments      []string          `json:"attachments"`
	AvailabilityZone string            `json:"availability_zone"`
	SizeGB           int32             `json:"size_gb"`
	VolumeType       string            `json:"volume_type"`
	Encrypted        bool              `json:"encrypted"`
	KMSKeyID         string            `json:"kms_key_id"`
	Tags             map[string]string `json:"tags"`
}

// EC2DeleteUnattachedVolume snapshots an unattached volume, waits for the
// snapshot, then deletes the volume. It refuses an attached volume. Undo
// creates a new volume from the snapshot in the same zone, with the old
// type, size and tags plus vigil:restored-from.
type EC2DeleteUnattachedVolume struct {
	// Wait bounds the wait for the safety snapshot (DefaultSnapshotWait when 0).
	Wait time.Duration
}

// NewEC2DeleteUnattachedVolume returns the ec2-delete-unattached-volume action.
func NewEC2DeleteUnattachedVolume(wait time.Duration) Action {
	return newAction(meta{id: "ec2-delete-unattached-volume", destructive: true, undoable: true,
		describe: "snapshot the unattached volume, then delete it (undo restores a new volume from the snapshot)"},
		EC2DeleteUnattachedVolume{Wait: wait})
}

func (EC2DeleteUnattachedVolume) read(ctx context.Context, t Target) (map[string]any, error) {
	id, err := attr(t, "volume_id")
	if err != nil {
		return nil, err
	}
	out, err := ec2.NewFromConfig(t.Config).DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{id}})
	if err != nil {
		return nil, fmt.Errorf("describe volume: %w", err)
	}
	if len(out.Volumes) != 1 {
		return nil, fmt.Errorf("volume %s not found", id)
	}
	v := out.Volumes[0]
	st := volumeState{VolumeID: id, State: string(v.State), Attachments: []string{}, AvailabilityZone: aws.ToString(v.AvailabilityZone),
		SizeGB: aws.ToInt32(v.Size), VolumeType: string(v.VolumeType), Encrypted: aws.ToBool(v.Encrypted),
		KMSKeyID: aws.ToString(v.KmsKeyId), Tags: map[string]string{}}
	for _, a := range v.Attachments {
		st.Attachments = append(st.Attachments, aws.ToString(a.InstanceId))
	}
	for _, tg := range v.Tags {
		st.Tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	return normalize(st), nil
}

func (EC2DeleteUnattachedVolume) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st volumeState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	if len(st.Attachments) > 0 || st.State != string(ec2types.VolumeStateAvailable) {
		return nil, "", false, fmt.Errorf("volume %s is %s (attached to %v): refusing to delete it", st.VolumeID, st.State, st.Attachments)
	}
	return []Call{
		call("ec2", "CreateSnapshot", map[string]any{"VolumeId": st.VolumeID, "Description": snapshotDescription(st.VolumeID)}),
		call("ec2", "DeleteVolume", map[string]any{"VolumeId": st.VolumeID}),
	}, fmt.Sprintf("snapshot, then delete unattached volume %s (%d GiB)", st.VolumeID, st.SizeGB), false, nil
}

func snapshotDescription(volumeID string) string { return "vigil: before deleting " + volumeID }

func (a EC2DeleteUnattachedVolume) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st volumeState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	client := ec2.NewFromConfig(t.Config)
	snap, err := client.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: aws.String(st.VolumeID),
		Description: aws.String(snapshotDescription(st.VolumeID))})
	if err != nil {
		return nil, fmt.Errorf("snapshot before delete: %w", err)
	}
	snapID := aws.ToString(snap.SnapshotId)
	wait := a.Wait
	if wait <= 0 {
		wait = DefaultSnapshotWait
	}
	err = ec2.NewSnapshotCompletedWaiter(client, func(o *ec2.SnapshotCompletedWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Second, 15*time.Second
	}).Wait(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{snapID}}, wait)
	if err != nil {
		return nil, fmt.Errorf("snapshot %s did not complete within %s; volume %s NOT deleted: %w", snapID, wait, st.VolumeID, err)
	}
	if _, err := client.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: aws.String(st.VolumeID)}); err != nil {
		return nil, fmt.Errorf("delete volume (snapshot %s kept): %w", snapID, err)
	}
	return map[string]any{"volume_id": st.VolumeID, "deleted": true, "snapshot_id": snapID}, nil
}

func (EC2DeleteUnattachedVolume) undo(ctx context.Context, t Target, r *Record) error {
	var st volumeState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	snapID, _ := r.After["snapshot_id"].(string)
	if snapID == "" || st.AvailabilityZone == "" {
		return fmt.Errorf("record %s has no snapshot or zone to restore volume %s from", r.ID, st.VolumeID)
	}
	tags := []ec2types.Tag{{Key: aws.String("vigil:restored-from"), Value: aws.String(st.VolumeID)}}
	for k, v := range st.Tags {
		tags = append(tags, ec2types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	in := &ec2.CreateVolumeInput{AvailabilityZone: aws.String(st.AvailabilityZone), SnapshotId: aws.String(snapID),
		VolumeType:        ec2types.VolumeType(st.VolumeType),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVolume, Tags: tags}}}
	if st.SizeGB > 0 {
		in.Size = aws.Int32(st.SizeGB)
	}
	if _, err := ec2.NewFromConfig(t.Config).CreateVolume(ctx, in); err != nil {
		return fmt.Errorf("restore volume %s from snapshot %s: %w", st.VolumeID, snapID, err)
	}
	return nil
}
