package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vigil-sec/vigil/asset"
)

// Volumes collects EBS volumes (aws.ec2.volume).
type Volumes struct{}

// NewVolumes returns the EBS volume collector.
func NewVolumes() *Volumes { return &Volumes{} }

// Type returns aws.ec2.volume.
func (*Volumes) Type() string { return asset.TypeVolume }

// Global reports false: volumes are listed per region.
func (*Volumes) Global() bool { return false }

// Collect lists every volume of the unit's region.
func (*Volumes) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	var out []asset.Asset
	p := ec2.NewDescribeVolumesPaginator(s.EC2(), &ec2.DescribeVolumesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("ec2 DescribeVolumes: %w", err)
		}
		for _, v := range page.Volumes {
			out = append(out, volumeAsset(s, v))
		}
	}
	return out, nil
}

func volumeAsset(s *Session, v ec2types.Volume) asset.Asset {
	id := str(v.VolumeId)
	tags, name := ec2Tags(v.Tags)
	return asset.Asset{
		ID:   ec2ARN(s, "volume", id),
		Type: asset.TypeVolume,
		Name: nameOr(name, id),
		Tags: tags,
		Attrs: map[string]any{
			"volume_id":         id,
			"state":             string(v.State),
			"size_gb":           i64(v.Size),
			"volume_type":       string(v.VolumeType),
			"encrypted":         flag(v.Encrypted),
			"kms_key_id":        str(v.KmsKeyId),
			"snapshot_id":       str(v.SnapshotId),
			"availability_zone": str(v.AvailabilityZone),
			"create_time":       stamp(v.CreateTime),
			"attachments": listOf(v.Attachments, func(a ec2types.VolumeAttachment) any {
				return map[string]any{"instance_id": str(a.InstanceId), "device": str(a.Device), "state": string(a.State)}
			}),
		},
	}
}
