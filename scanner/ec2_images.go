package scanner

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vigil-sec/vigil/asset"
)

// Images collects the AMIs the account owns in a region (aws.ec2.image).
type Images struct{}

// NewImages returns the aws.ec2.image collector.
func NewImages() *Images { return &Images{} }

// Type returns aws.ec2.image.
func (*Images) Type() string { return asset.TypeAMI }

// Global reports false: images are regional.
func (*Images) Global() bool { return false }

// Collect lists the region's own images (paged DescribeImages with
// Owners=self; public flag, block devices and tags come with the listing).
func (*Images) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	out := []asset.Asset{}
	p := ec2.NewDescribeImagesPaginator(s.EC2(), &ec2.DescribeImagesInput{Owners: []string{"self"}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("ec2 DescribeImages: %w", err)
		}
		for _, img := range page.Images {
			if str(img.OwnerId) == s.Account {
				out = append(out, imageAsset(s, img))
			}
		}
	}
	return out, nil
}

// imageAsset builds the asset of one image. AMI ARNs carry no account:
// arn:aws:ec2:REGION::image/ami-...
func imageAsset(s *Session, img ec2types.Image) asset.Asset {
	id := str(img.ImageId)
	tags, _ := ec2Tags(img.Tags)
	snaps := []string{}
	ebs, enc := 0, 0
	for _, bd := range img.BlockDeviceMappings {
		if bd.Ebs == nil {
			continue
		}
		ebs++
		if flag(bd.Ebs.Encrypted) {
			enc++
		}
		if sid := str(bd.Ebs.SnapshotId); sid != "" {
			snaps = append(snaps, sid)
		}
	}
	encrypted := ebs > 0 && enc == ebs // every EBS volume of the image is encrypted
	attrs := map[string]any{
		"image_id":         id,
		"image_name":       str(img.Name),
		"description":      str(img.Description),
		"state":            string(img.State),
		"public":           flag(img.Public),
		"architecture":     string(img.Architecture),
		"platform":         string(img.Platform),
		"root_device_type": string(img.RootDeviceType),
		"creation_date":    imageTime(str(img.CreationDate)),
		"deprecation_time": imageTime(str(img.DeprecationTime)),
		"snapshot_ids":     docsStrings(snaps),
		"encrypted":        encrypted,
	}
	arn := "arn:" + partition(s.Region) + ":ec2:" + s.Region + "::image/" + id
	return docsAsset(s, asset.TypeAMI, arn, nameOr(str(img.Name), id), s.Region, tags, attrs)
}

// imageTime normalises EC2's image timestamps ("2006-01-02T15:04:05.000Z")
// to RFC3339 UTC; an unparsable value is kept as AWS wrote it.
func imageTime(v string) string {
	if v == "" {
		return ""
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return v
	}
	return t.UTC().Format(time.RFC3339)
}
