package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestImagesAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, c, ok := context.Background(), s.EC2(), docsOK(t)
	inst, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		InstanceType: ec2types.InstanceTypeT3Micro})
	ok(inst, err)
	id := inst.Instances[0].InstanceId
	golden, err := c.CreateImage(ctx, &ec2.CreateImageInput{InstanceId: id, Name: aws.String("golden-2026-11"),
		TagSpecifications: nameTag(ec2types.ResourceTypeImage, "golden")})
	ok(golden, err)
	shared, err := c.CreateImage(ctx, &ec2.CreateImageInput{InstanceId: id, Name: aws.String("shared-build")})
	ok(shared, err)
	ok(c.ModifyImageAttribute(ctx, &ec2.ModifyImageAttributeInput{ImageId: shared.ImageId,
		LaunchPermission: &ec2types.LaunchPermissionModifications{Add: []ec2types.LaunchPermission{{Group: ec2types.PermissionGroupAll}}}}))

	got := docsCollect(t, NewImages(), s)
	if len(got) != 2 {
		t.Fatalf("collected %d images, want the account's 2: %v", len(got), got)
	}
	g := got["arn:aws:ec2:us-east-1::image/"+aws.ToString(golden.ImageId)]
	p := got["arn:aws:ec2:us-east-1::image/"+aws.ToString(shared.ImageId)]
	if g.ID == "" || p.ID == "" {
		t.Fatalf("images not under their ARNs: %v", got)
	}
	for _, a := range got {
		docsHasKeys(t, a, "image_id", "image_name", "description", "state", "public", "architecture", "platform",
			"root_device_type", "creation_date", "deprecation_time", "snapshot_ids", "encrypted")
	}
	if g.Name != "golden" || g.Tags["env"] != "test" || p.Name != "shared-build" {
		t.Errorf("names %q (tags %v), %q; want the Name tag, else the image name", g.Name, g.Tags, p.Name)
	}
	docsWant(t, g, "public", false)
	docsWant(t, p, "public", true)
	docsWant(t, g, "image_name", "golden-2026-11")
	docsWant(t, g, "image_id", aws.ToString(golden.ImageId))
}
