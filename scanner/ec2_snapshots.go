package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vigil-sec/vigil/asset"
)

// Snapshots collects the account's own EBS snapshots (aws.ec2.snapshot),
// with who may create volumes from them.
type Snapshots struct{}

// NewSnapshots returns the EBS snapshot collector.
func NewSnapshots() *Snapshots { return &Snapshots{} }

// Type returns aws.ec2.snapshot.
func (*Snapshots) Type() string { return asset.TypeSnapshot }

// Global reports false: snapshots are listed per region.
func (*Snapshots) Global() bool { return false }

// Collect lists the account's snapshots of the unit's region and reads each
// one's createVolumePermission.
func (*Snapshots) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.EC2()
	var snaps []ec2types.Snapshot
	p := ec2.NewDescribeSnapshotsPaginator(client, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("ec2 DescribeSnapshots: %w", err)
		}
		for _, snap := range page.Snapshots {
			// OwnerIds=self can also return snapshots that back public
			// images (moto does); only the account's own are its assets.
			if str(snap.OwnerId) == s.Account {
				snaps = append(snaps, snap)
			}
		}
	}
	out := make([]asset.Asset, len(snaps))
	err := parallel(ctx, len(snaps), s.Fanout(), func(ctx context.Context, i int) error {
		a, err := snapshotAsset(ctx, client, s, snaps[i])
		out[i] = a
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func snapshotAsset(ctx context.Context, client *ec2.Client, s *Session, snap ec2types.Snapshot) (asset.Asset, error) {
	id := str(snap.SnapshotId)
	attr, err := client.DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{
		SnapshotId: aws.String(id),
		Attribute:  ec2types.SnapshotAttributeNameCreateVolumePermission,
	})
	if err != nil {
		return asset.Asset{}, fmt.Errorf("ec2 DescribeSnapshotAttribute %s: %w", id, err)
	}
	public := false
	shared := []any{}
	for _, perm := range attr.CreateVolumePermissions {
		if perm.Group == ec2types.PermissionGroupAll {
			public = true
		}
		if perm.UserId != nil {
			shared = append(shared, str(perm.UserId))
		}
	}
	tags, name := ec2Tags(snap.Tags)
	return asset.Asset{
		ID:   ec2ARN(s, "snapshot", id),
		Type: asset.TypeSnapshot,
		Name: nameOr(name, id),
		Tags: tags,
		Attrs: map[string]any{
			"snapshot_id": id,
			"volume_id":   str(snap.VolumeId),
			"size_gb":     i64(snap.VolumeSize),
			"encrypted":   flag(snap.Encrypted),
			"kms_key_id":  str(snap.KmsKeyId),
			"state":       string(snap.State),
			"start_time":  stamp(snap.StartTime),
			"description": str(snap.Description),
			"public":      public,
			"shared_with": shared,
		},
	}, nil
}
