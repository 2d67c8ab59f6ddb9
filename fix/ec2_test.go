package fix

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/scanner"
)

const region = "us-east-1"

func ec2arn(kind, id string) string {
	return "arn:aws:ec2:" + region + ":" + motoAccount + ":" + kind + "/" + id
}

// ok checks a seeding call: ok(c.Op(...))(t) returns the output or fails t.
func ok[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
		return v
	}
}

// ingressKeys renders a group's ingress rules as sorted strings.
func ingressKeys(a *asset.Asset) []string {
	var out []string
	for _, r := range attrOf(a, "ingress").([]any) {
		m := r.(map[string]any)
		out = append(out, asset.String(m["protocol"])+" "+asset.String(m["from_port"])+"-"+asset.String(m["to_port"])+" "+
			asset.String(m["cidr"])+asset.String(m["source_group"])+" "+asset.String(m["description"]))
	}
	sort.Strings(out)
	return out
}

func TestEC2RevokePublicIngress(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := ec2.NewFromConfig(e.cfg)
	sg := ok(c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")}))(t).GroupId
	perm := func(from int32, cidr, desc string) ec2types.IpPermission {
		p := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(from), ToPort: aws.Int32(from)}
		if strings.Contains(cidr, ":") {
			p.Ipv6Ranges = []ec2types.Ipv6Range{{CidrIpv6: aws.String(cidr), Description: aws.String(desc)}}
		} else {
			p.IpRanges = []ec2types.IpRange{{CidrIp: aws.String(cidr), Description: aws.String(desc)}}
		}
		return p
	}
	ok(c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg, IpPermissions: []ec2types.IpPermission{
		perm(22, "0.0.0.0/0", "ssh from anywhere"), perm(22, "10.0.0.0/8", "office"), perm(443, "0.0.0.0/0", "https"), perm(5432, "::/0", "pg")}}))(t)
	read := func() *asset.Asset {
		return e.collect(t, scanner.NewSecurityGroups(), region, ec2arn("security-group", *sg))
	}
	a := read()
	for _, id := range []string{"ec2-sg-open-ssh", "ec2-sg-open-db-ports"} {
		if passes(t, id, nil, a) {
			t.Fatalf("fixture: %s should fail", id)
		}
	}
	act := NewEC2RevokePublicIngress()
	tg := e.target(a, map[string]any{"ports": []any{5432, 3306}})
	p := mustPlan(t, act, tg)
	if rules := p.Before["rules"].([]any); len(rules) != 2 {
		t.Errorf("plan would revoke %v, want the SSH and PostgreSQL world-open rules", rules)
	}
	same(t, "ingress after plan", ingressKeys(a), ingressKeys(read()))

	ok(c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg,
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}}))(t)
	wantDrift(t, act, tg, p, "rules")
	drifted := read()
	if len(ingressKeys(drifted)) != len(ingressKeys(a))+1 {
		t.Fatalf("a refused apply changed the group: %v", ingressKeys(drifted))
	}

	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	fixed := read()
	for _, id := range []string{"ec2-sg-open-ssh", "ec2-sg-open-rdp", "ec2-sg-open-db-ports", "ec2-sg-open-all-ports"} {
		if !passes(t, id, nil, fixed) {
			t.Errorf("after the fix %s still fails: %v", id, ingressKeys(fixed))
		}
	}
	want := []string{"tcp 22-22 10.0.0.0/8 office", "tcp 443-443 0.0.0.0/0 https"}
	same(t, "ingress left after the fix", want, ingressKeys(fixed))

	mustUndo(t, act, tg, record(p, after))
	same(t, "ingress after undo", ingressKeys(drifted), ingressKeys(read()))
}

// seedInstance runs one instance with IMDSv1 allowed.
func seedInstance(t *testing.T, c *ec2.Client) string {
	out := ok(c.RunInstances(t.Context(), &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), MetadataOptions: &ec2types.InstanceMetadataOptionsRequest{HttpTokens: ec2types.HttpTokensStateOptional}}))(t)
	return *out.Instances[0].InstanceId
}

func TestEC2RequireIMDSv2(t *testing.T) {
	e := newEnv(t)
	c := ec2.NewFromConfig(e.cfg)
	id := seedInstance(t, c)
	read := func() *asset.Asset { return e.collect(t, scanner.NewInstances(), region, ec2arn("instance", id)) }
	a := read()
	if passes(t, "ec2-instance-imdsv2", nil, a) {
		t.Fatalf("fixture: instance should fail ec2-instance-imdsv2: %v", a.Attrs["imds"])
	}
	act := NewEC2RequireIMDSv2()
	tg := e.target(a, nil)
	p := mustPlan(t, act, tg)
	same(t, "imds after plan", a.Attrs["imds"], read().Attrs["imds"])

	ok(c.ModifyInstanceMetadataOptions(t.Context(), &ec2.ModifyInstanceMetadataOptionsInput{InstanceId: &id, HttpTokens: ec2types.HttpTokensStateRequired}))(t)
	wantDrift(t, act, tg, p, "http_tokens")
	ok(c.ModifyInstanceMetadataOptions(t.Context(), &ec2.ModifyInstanceMetadataOptionsInput{InstanceId: &id, HttpTokens: ec2types.HttpTokensStateOptional}))(t)

	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	if fixed := read(); !passes(t, "ec2-instance-imdsv2", nil, fixed) {
		t.Errorf("after the fix: %v", fixed.Attrs["imds"])
	}
	mustUndo(t, act, tg, record(p, after))
	if got := attrOf(read(), "imds.http_tokens"); got != "optional" {
		t.Errorf("after undo http_tokens = %v, want optional", got)
	}
}

func TestEC2SnapshotPrivate(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := ec2.NewFromConfig(e.cfg)
	vol := ok(c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String(region + "a"), Size: aws.Int32(1)}))(t).VolumeId
	snap := ok(c.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: vol}))(t).SnapshotId
	share := func(op ec2types.OperationType, in ec2.ModifySnapshotAttributeInput) {
		in.SnapshotId, in.Attribute, in.OperationType = snap, ec2types.SnapshotAttributeNameCreateVolumePermission, op
		ok(c.ModifySnapshotAttribute(ctx, &in))(t)
	}
	share(ec2types.OperationTypeAdd, ec2.ModifySnapshotAttributeInput{GroupNames: []string{"all"}})
	share(ec2types.OperationTypeAdd, ec2.ModifySnapshotAttributeInput{UserIds: []string{"333333333333"}})
	read := func() *asset.Asset { return e.collect(t, scanner.NewSnapshots(), region, ec2arn("snapshot", *snap)) }
	a := read()
	if passes(t, "ec2-snapshot-public", nil, a) {
		t.Fatal("fixture: snapshot should be public")
	}
	act := NewEC2SnapshotPrivate()
	tg := e.target(a, nil)
	p := mustPlan(t, act, tg)
	if read().Attrs["public"] != true {
		t.Fatal("plan changed the snapshot")
	}
	share(ec2types.OperationTypeRemove, ec2.ModifySnapshotAttributeInput{GroupNames: []string{"all"}})
	wantDrift(t, act, tg, p, "public")
	share(ec2types.OperationTypeAdd, ec2.ModifySnapshotAttributeInput{GroupNames: []string{"all"}})

	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	fixed := read()
	if !passes(t, "ec2-snapshot-public", nil, fixed) {
		t.Error("after the fix the snapshot is still public")
	}
	same(t, "account shares", a.Attrs["shared_with"], fixed.Attrs["shared_with"])
	mustUndo(t, act, tg, record(p, after))
	if read().Attrs["public"] != true {
		t.Error("undo did not make the snapshot public again")
	}
}

func TestEC2EnableEBSDefaultEncryption(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	west := e.cfg.Copy()
	west.Region = "eu-west-1"
	ok(ec2.NewFromConfig(west).EnableEbsEncryptionByDefault(ctx, &ec2.EnableEbsEncryptionByDefaultInput{}))(t)
	read := func() *asset.Asset {
		cfg := e.cfg.Copy()
		s := &scanner.Session{Config: cfg, Account: motoAccount, Region: asset.Global, Regions: []string{"us-east-1", "eu-west-1", "ap-south-1"}, Endpoint: e.srv.URL}
		list, err := scanner.NewAccount().Collect(ctx, s)
		if err != nil || len(list) != 1 {
			t.Fatalf("collect account: %v %v", list, err)
		}
		return &list[0]
	}
	a := read()
	if passes(t, "ec2-ebs-default-encryption", nil, a) {
		t.Fatalf("fixture: %v", a.Attrs["ebs_default_encryption"])
	}
	act := NewEC2EnableEBSDefaultEncryption()
	tg := e.target(a, nil)
	p := mustPlan(t, act, tg)
	if len(p.Calls) != 2 {
		t.Errorf("plan calls %v, want one per region that is off (us-east-1, ap-south-1)", p.Calls)
	}
	same(t, "ebs_default_encryption after plan", a.Attrs["ebs_default_encryption"], read().Attrs["ebs_default_encryption"])

	south := e.cfg.Copy()
	south.Region = "ap-south-1"
	ok(ec2.NewFromConfig(south).EnableEbsEncryptionByDefault(ctx, &ec2.EnableEbsEncryptionByDefaultInput{}))(t)
	wantDrift(t, act, tg, p, "ap-south-1")
	ok(ec2.NewFromConfig(south).DisableEbsEncryptionByDefault(ctx, &ec2.DisableEbsEncryptionByDefaultInput{}))(t)

	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	if fixed := read(); !passes(t, "ec2-ebs-default-encryption", nil, fixed) {
		t.Errorf("after the fix: %v", fixed.Attrs["ebs_default_encryption"])
	}
	mustUndo(t, act, tg, record(p, after))
	same(t, "ebs_default_encryption after undo (eu-west-1 stays on)", a.Attrs["ebs_default_encryption"], read().Attrs["ebs_default_encryption"])
}

func TestEC2ReleaseEIP(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := ec2.NewFromConfig(e.cfg)
	free := ok(c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc}))(t).AllocationId
	used := ok(c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc}))(t).AllocationId
	inst := seedInstance(t, c)
	ok(c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: used, InstanceId: &inst}))(t)
	read := func(id string) *asset.Asset { return e.collect(t, scanner.NewEIPs(), region, ec2arn("elastic-ip", id)) }
	act := NewEC2ReleaseEIP()

	if _, err := act.Plan(ctx, e.target(read(*used), nil)); err == nil || !strings.Contains(err.Error(), "attached") {
		t.Errorf("plan on an attached address: err = %v, want a refusal", err)
	}
	a := read(*free)
	if passes(t, "ec2-eip-unattached", nil, a) {
		t.Fatal("fixture: free address should fail ec2-eip-unattached")
	}
	tg := e.target(a, nil)
	p := mustPlan(t, act, tg)
	if !p.Destructive || p.Undoable {
		t.Errorf("plan destructive %v undoable %v, want destructive and not undoable", p.Destructive, p.Undoable)
	}
	read(*free) // still there after the plan

	ok(c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: free, InstanceId: &inst, AllowReassociation: aws.Bool(true)}))(t)
	wantDrift(t, act, tg, p, "association_id")
	if !read(*free).Attrs["attached"].(bool) {
		t.Fatal("a refused apply changed the address")
	}
	ok(c.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: aws.String(asset.String(read(*free).Attrs["association_id"]))}))(t)

	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	if after["released"] != true {
		t.Errorf("after = %v", after)
	}
	out := ok(c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{}))(t)
	for _, ad := range out.Addresses {
		if *ad.AllocationId == *free {
			t.Error("the address was not released")
		}
	}
	if err := act.Undo(ctx, tg, record(p, after)); !errors.Is(err, ErrNotUndoable) {
		t.Errorf("undo: %v, want ErrNotUndoable", err)
	}
}

func TestEC2DeleteUnattachedVolume(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := ec2.NewFromConfig(e.cfg)
	vol := ok(c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String(region + "b"), Size: aws.Int32(2),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVolume, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("scratch")}}}}}))(t).VolumeId
	inst := seedInstance(t, c)
	read := func() *asset.Asset { return e.collect(t, scanner.NewVolumes(), region, ec2arn("volume", *vol)) }
	a := read()
	if passes(t, "ec2-volume-unattached", nil, a) {
		t.Fatal("fixture: volume should be unattached")
	}
	act := NewEC2DeleteUnattachedVolume(DefaultSnapshotWait)
	tg := e.target(a, nil)
	p := mustPlan(t, act, tg)
	if !p.Destructive || !p.Undoable || len(p.Calls) != 2 || p.Calls[0].Op != "CreateSnapshot" {
		t.Errorf("plan = %+v, want a destructive, undoable snapshot-then-delete", p)
	}
	read()

	ok(c.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: vol, InstanceId: &inst, Device: aws.String("/dev/sdf")}))(t)
	wantDrift(t, act, tg, p, "attachments")
	snaps := ok(c.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}}))(t)
	if len(snaps.Snapshots) != 0 {
		t.Errorf("a refused apply made snapshots: %d", len(snaps.Snapshots))
	}
	if _, err := act.Plan(ctx, tg); err == nil || !strings.Contains(err.Error(), "attached") {
		t.Errorf("plan on an attached volume: err = %v, want a refusal", err)
	}
	ok(c.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: vol, InstanceId: &inst, Device: aws.String("/dev/sdf")}))(t)

	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	snapID, _ := after["snapshot_id"].(string)
	if after["deleted"] != true || snapID == "" {
		t.Fatalf("after = %v, want deleted with the snapshot ID", after)
	}
	if vs := ok(c.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{{Name: aws.String("volume-id"), Values: []string{*vol}}}}))(t); len(vs.Volumes) != 0 {
		t.Error("volume not deleted")
	}
	mustUndo(t, act, tg, record(p, after))
	vs := ok(c.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{{Name: aws.String("snapshot-id"), Values: []string{snapID}}}}))(t)
	if len(vs.Volumes) != 1 || *vs.Volumes[0].AvailabilityZone != region+"b" || *vs.Volumes[0].Size != 2 {
		t.Fatalf("undo: volumes from the snapshot = %+v, want one of 2 GiB in %sb", vs.Volumes, region)
	}
	tags := map[string]string{}
	for _, tg := range vs.Volumes[0].Tags {
		tags[*tg.Key] = *tg.Value
	}
	if tags["Name"] != "scratch" || tags["vigil:restored-from"] != *vol {
		t.Errorf("restored volume tags %v", tags)
	}
}
