package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vigil-sec/vigil/asset"
)

// Instances collects EC2 instances (aws.ec2.instance).
type Instances struct{}

// NewInstances returns the EC2 instance collector.
func NewInstances() *Instances { return &Instances{} }

// Type returns aws.ec2.instance.
func (*Instances) Type() string { return asset.TypeEC2Instance }

// Global reports false: instances are listed per region.
func (*Instances) Global() bool { return false }

// Collect lists every instance of the unit's region.
func (*Instances) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	var out []asset.Asset
	p := ec2.NewDescribeInstancesPaginator(s.EC2(), &ec2.DescribeInstancesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("ec2 DescribeInstances: %w", err)
		}
		for _, r := range page.Reservations {
			for _, in := range r.Instances {
				out = append(out, instanceAsset(s, in))
			}
		}
	}
	return out, nil
}

func instanceAsset(s *Session, in ec2types.Instance) asset.Asset {
	id := str(in.InstanceId)
	tags, name := ec2Tags(in.Tags)
	state := ""
	if in.State != nil {
		state = string(in.State.Name)
	}
	profile := ""
	if in.IamInstanceProfile != nil {
		profile = str(in.IamInstanceProfile.Arn)
	}
	// AWS's defaults apply when metadata options are absent.
	imds := map[string]any{"http_tokens": "optional", "http_endpoint": "enabled", "hop_limit": int64(1)}
	if m := in.MetadataOptions; m != nil {
		if m.HttpTokens != "" {
			imds["http_tokens"] = string(m.HttpTokens)
		}
		if m.HttpEndpoint != "" {
			imds["http_endpoint"] = string(m.HttpEndpoint)
		}
		if m.HttpPutResponseHopLimit != nil {
			imds["hop_limit"] = i64(m.HttpPutResponseHopLimit)
		}
	}
	monitoring := "disabled"
	if in.Monitoring != nil && in.Monitoring.State == ec2types.MonitoringStateEnabled {
		monitoring = "enabled"
	}
	var volumes []any
	for _, b := range in.BlockDeviceMappings {
		if b.Ebs != nil && b.Ebs.VolumeId != nil {
			volumes = append(volumes, str(b.Ebs.VolumeId))
		}
	}
	return asset.Asset{
		ID:   ec2ARN(s, "instance", id),
		Type: asset.TypeEC2Instance,
		Name: nameOr(name, id),
		Tags: tags,
		Attrs: map[string]any{
			"instance_id":          id,
			"state":                state,
			"instance_type":        string(in.InstanceType),
			"image_id":             str(in.ImageId),
			"launch_time":          stamp(in.LaunchTime),
			"platform":             string(in.Platform),
			"vpc_id":               str(in.VpcId),
			"subnet_id":            str(in.SubnetId),
			"private_ip":           str(in.PrivateIpAddress),
			"public_ip":            str(in.PublicIpAddress),
			"security_group_ids":   listOf(in.SecurityGroups, func(g ec2types.GroupIdentifier) any { return str(g.GroupId) }),
			"volume_ids":           nonNil(volumes),
			"iam_instance_profile": profile,
			"imds":                 imds,
			"monitoring":           monitoring,
		},
	}
}
