package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/internal/testmoto"
)

// Accounts and regions of the regional fixture. moto's default account is
// 123456789012; assuming any role in 222222222222 reaches a second one.
const (
	fxAccount1 = "123456789012"
	fxAccount2 = "222222222222"
	fxRole2    = "arn:aws:iam::222222222222:role/any"
)

// fakePEM stands in for a certificate and key: moto keeps them unparsed.
const fakePEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

var fxRegions = []string{"us-east-1", "eu-west-1"}

// regionalEnv is a moto server seeded with the regional fixture in two
// accounts and two regions, and the targets that reach both accounts.
type regionalEnv struct {
	srv     *testmoto.Server
	targets []Target
	seeds   map[asset.UnitKey]regionalSeed // by account and region (Type empty)
}

// regionalSeed holds the IDs of what the fixture created in one account and
// region.
type regionalSeed struct {
	vpcLogged, vpcPlain   string
	subnetA, subnetB      string
	sgWeb                 string
	instStrict, instLoose string // IMDS required (with an EIP) / optional
	eipAttached, eipFree  string
	volEnc, volPlain      string
	snapPublic, snapPriv  string
	lbARN                 string
}

func regionalCollectors() []Collector {
	return []Collector{
		NewInstances(), NewSecurityGroups(), NewVolumes(), NewSnapshots(), NewVPCs(),
		NewEIPs(), NewRDSInstances(), NewRDSSnapshots(), NewLoadBalancers(),
	}
}

// newRegionalEnv starts moto, points the environment at it, resolves both
// accounts and seeds each account and region (the second account through
// its assumed-role credentials).
func newRegionalEnv(t testing.TB) *regionalEnv {
	t.Helper()
	srv := testmoto.Start(t)
	srv.Setenv(t)
	ctx := context.Background()
	base, err := LoadAWSConfig(ctx, "")
	if err != nil {
		t.Fatalf("LoadAWSConfig: %v", err)
	}
	targets, err := ResolveTargets(ctx, base, []config.Account{{Name: "second", RoleARN: fxRole2, ExternalID: "x-1"}})
	if err != nil {
		t.Fatalf("ResolveTargets: %v", err)
	}
	env := &regionalEnv{srv: srv, targets: targets, seeds: map[asset.UnitKey]regionalSeed{}}
	for _, tg := range targets {
		for _, region := range fxRegions {
			env.seeds[asset.UnitKey{Account: tg.Account, Region: region}] = seedRegional(t, tg.Config, region)
		}
	}
	return env
}

// seed returns what the fixture created in an account and region.
func (e *regionalEnv) seed(account, region string) regionalSeed {
	return e.seeds[asset.UnitKey{Account: account, Region: region}]
}

// scan runs r over the env's targets and returns the units and assets by
// unit key.
func (e *regionalEnv) scan(t testing.TB, r *Runner) (map[asset.UnitKey]asset.Unit, map[asset.UnitKey][]asset.Asset) {
	t.Helper()
	return runScan(t, r, e.targets)
}

func runScan(t testing.TB, r *Runner, targets []Target) (map[asset.UnitKey]asset.Unit, map[asset.UnitKey][]asset.Asset) {
	t.Helper()
	units := map[asset.UnitKey]asset.Unit{}
	assets := map[asset.UnitKey][]asset.Asset{}
	err := r.Run(context.Background(), targets, func(u asset.Unit, as []asset.Asset) {
		if _, dup := units[u.UnitKey]; dup {
			t.Errorf("unit %s handed back twice", u.UnitKey)
		}
		units[u.UnitKey] = u
		assets[u.UnitKey] = as
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return units, assets
}

// byID finds an asset of a unit by ID, failing the test when it is missing.
func byID(t *testing.T, assets map[asset.UnitKey][]asset.Asset, key asset.UnitKey, id string) asset.Asset {
	t.Helper()
	for _, a := range assets[key] {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("%s: no asset %s among %d", key, id, len(assets[key]))
	return asset.Asset{}
}

// attr reads a dotted path of an asset's document, failing when missing.
func attr(t *testing.T, a asset.Asset, path string) any {
	t.Helper()
	v, ok := asset.Get(a.Attrs, path)
	if !ok {
		t.Fatalf("%s: attribute %s missing", a.ID, path)
	}
	return v
}

func must[T any](t testing.TB, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("seed %s: %v", what, err)
		}
		return v
	}
}

func nameTag(kind ec2types.ResourceType, name string) []ec2types.TagSpecification {
	return []ec2types.TagSpecification{{ResourceType: kind, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}, {Key: aws.String("env"), Value: aws.String("test")}}}}
}

// seedRegional creates the small regional fixture in one account and region.
func seedRegional(t testing.TB, base aws.Config, region string) regionalSeed {
	t.Helper()
	ctx := context.Background()
	cfg := base.Copy()
	cfg.Region = region
	e := ec2.NewFromConfig(cfg)
	var s regionalSeed

	s.vpcLogged = *must[*ec2.CreateVpcOutput](t, "vpc")(e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: nameTag(ec2types.ResourceTypeVpc, "logged")})).Vpc.VpcId
	s.vpcPlain = *must[*ec2.CreateVpcOutput](t, "vpc")(e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})).Vpc.VpcId
	must[*ec2.CreateFlowLogsOutput](t, "flow log")(e.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{
		ResourceIds: []string{s.vpcLogged}, ResourceType: ec2types.FlowLogsResourceTypeVpc, TrafficType: ec2types.TrafficTypeAll,
		LogGroupName: aws.String("vpc-flow"), DeliverLogsPermissionArn: aws.String("arn:aws:iam::" + fxAccount1 + ":role/flow"),
	}))
	s.subnetA = *must[*ec2.CreateSubnetOutput](t, "subnet")(e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &s.vpcLogged, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String(region + "a")})).Subnet.SubnetId
	s.subnetB = *must[*ec2.CreateSubnetOutput](t, "subnet")(e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &s.vpcLogged, CidrBlock: aws.String("10.0.2.0/24"), AvailabilityZone: aws.String(region + "b")})).Subnet.SubnetId

	s.sgWeb = *must[*ec2.CreateSecurityGroupOutput](t, "sg")(e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web tier"), VpcId: &s.vpcLogged})).GroupId
	must[*ec2.AuthorizeSecurityGroupIngressOutput](t, "ingress")(e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &s.sgWeb, IpPermissions: []ec2types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0"), Description: aws.String("ssh")}}},
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(3389), ToPort: aws.Int32(3389), Ipv6Ranges: []ec2types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}},
		{IpProtocol: aws.String("-1"), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: &s.sgWeb}}},
	}}))

	run := func(tokens ec2types.HttpTokensState, name string) string {
		out := must[*ec2.RunInstancesOutput](t, "instance")(e.RunInstances(ctx, &ec2.RunInstancesInput{
			ImageId: aws.String("ami-12345678"), InstanceType: ec2types.InstanceTypeT3Micro, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			SubnetId: &s.subnetA, SecurityGroupIds: []string{s.sgWeb}, TagSpecifications: nameTag(ec2types.ResourceTypeInstance, name),
			MetadataOptions: &ec2types.InstanceMetadataOptionsRequest{HttpTokens: tokens, HttpEndpoint: ec2types.InstanceMetadataEndpointStateEnabled, HttpPutResponseHopLimit: aws.Int32(2)},
		}))
		return *out.Instances[0].InstanceId
	}
	s.instStrict = run(ec2types.HttpTokensStateRequired, "strict")
	s.instLoose = run(ec2types.HttpTokensStateOptional, "loose")
	s.eipAttached = *must[*ec2.AllocateAddressOutput](t, "eip")(e.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})).AllocationId
	s.eipFree = *must[*ec2.AllocateAddressOutput](t, "eip")(e.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})).AllocationId
	must[*ec2.AssociateAddressOutput](t, "associate eip")(e.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: &s.eipAttached, InstanceId: &s.instStrict}))

	s.volEnc = *must[*ec2.CreateVolumeOutput](t, "volume")(e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String(region + "a"), Size: aws.Int32(3), Encrypted: aws.Bool(true)})).VolumeId
	s.volPlain = *must[*ec2.CreateVolumeOutput](t, "volume")(e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String(region + "a"), Size: aws.Int32(5), TagSpecifications: nameTag(ec2types.ResourceTypeVolume, "scratch")})).VolumeId
	s.snapPublic = *must[*ec2.CreateSnapshotOutput](t, "snapshot")(e.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: &s.volPlain, Description: aws.String("public one")})).SnapshotId
	s.snapPriv = *must[*ec2.CreateSnapshotOutput](t, "snapshot")(e.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: &s.volEnc})).SnapshotId
	must[*ec2.ModifySnapshotAttributeOutput](t, "public snapshot")(e.ModifySnapshotAttribute(ctx, &ec2.ModifySnapshotAttributeInput{
		SnapshotId: &s.snapPublic, Attribute: ec2types.SnapshotAttributeNameCreateVolumePermission, OperationType: ec2types.OperationTypeAdd, GroupNames: []string{"all"},
	}))
	must[*ec2.ModifySnapshotAttributeOutput](t, "shared snapshot")(e.ModifySnapshotAttribute(ctx, &ec2.ModifySnapshotAttributeInput{
		SnapshotId: &s.snapPriv, Attribute: ec2types.SnapshotAttributeNameCreateVolumePermission, OperationType: ec2types.OperationTypeAdd, UserIds: []string{"333333333333"},
	}))

	seedRDS(t, ctx, rds.NewFromConfig(cfg))
	// HTTPS listeners need a certificate that exists; moto stores the body
	// without parsing it.
	cert := must[*iam.UploadServerCertificateOutput](t, "certificate")(iam.NewFromConfig(cfg).UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{
		ServerCertificateName: aws.String("web-" + region), CertificateBody: aws.String(fakePEM), PrivateKey: aws.String(fakePEM),
	})).ServerCertificateMetadata.Arn
	s.lbARN = seedELB(t, ctx, elbv2.NewFromConfig(cfg), s, *cert)
	return s
}

// seedRDS creates a public unencrypted database with a public snapshot and
// a private encrypted one.
func seedRDS(t testing.TB, ctx context.Context, r *rds.Client) {
	t.Helper()
	db := func(id string, public, encrypted bool) {
		must[*rds.CreateDBInstanceOutput](t, "db")(r.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{
			DBInstanceIdentifier: aws.String(id), DBInstanceClass: aws.String("db.t3.micro"), Engine: aws.String("postgres"),
			AllocatedStorage: aws.Int32(20), MasterUsername: aws.String("admin1"), MasterUserPassword: aws.String("not-a-secret-1"),
			PubliclyAccessible: aws.Bool(public), StorageEncrypted: aws.Bool(encrypted), BackupRetentionPeriod: aws.Int32(7),
			Tags: []rdstypes.Tag{{Key: aws.String("env"), Value: aws.String("test")}},
		}))
	}
	db("db-public", true, false)
	db("db-private", false, true)
	must[*rds.CreateDBSnapshotOutput](t, "db snapshot")(r.CreateDBSnapshot(ctx, &rds.CreateDBSnapshotInput{DBInstanceIdentifier: aws.String("db-public"), DBSnapshotIdentifier: aws.String("snap-public")}))
	must[*rds.CreateDBSnapshotOutput](t, "db snapshot")(r.CreateDBSnapshot(ctx, &rds.CreateDBSnapshotInput{DBInstanceIdentifier: aws.String("db-private"), DBSnapshotIdentifier: aws.String("snap-private")}))
	must[*rds.ModifyDBSnapshotAttributeOutput](t, "public db snapshot")(r.ModifyDBSnapshotAttribute(ctx, &rds.ModifyDBSnapshotAttributeInput{
		DBSnapshotIdentifier: aws.String("snap-public"), AttributeName: aws.String("restore"), ValuesToAdd: []string{"all"},
	}))
}

// seedELB creates an internet-facing ALB with an HTTP listener redirecting
// to HTTPS and an HTTPS listener.
func seedELB(t testing.TB, ctx context.Context, c *elbv2.Client, s regionalSeed, certARN string) string {
	t.Helper()
	lb := must[*elbv2.CreateLoadBalancerOutput](t, "lb")(c.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{
		Name: aws.String("web-lb"), Subnets: []string{s.subnetA, s.subnetB}, SecurityGroups: []string{s.sgWeb},
		Scheme: elbtypes.LoadBalancerSchemeEnumInternetFacing, Type: elbtypes.LoadBalancerTypeEnumApplication,
		Tags: []elbtypes.Tag{{Key: aws.String("Name"), Value: aws.String("front door")}},
	})).LoadBalancers[0]
	tg := must[*elbv2.CreateTargetGroupOutput](t, "target group")(c.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{
		Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: &s.vpcLogged,
	})).TargetGroups[0]
	must[*elbv2.CreateListenerOutput](t, "http listener")(c.CreateListener(ctx, &elbv2.CreateListenerInput{
		LoadBalancerArn: lb.LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumRedirect, RedirectConfig: &elbtypes.RedirectActionConfig{
			Protocol: aws.String("HTTPS"), Port: aws.String("443"), StatusCode: elbtypes.RedirectActionStatusCodeEnumHttp301,
		}}},
	}))
	must[*elbv2.CreateListenerOutput](t, "https listener")(c.CreateListener(ctx, &elbv2.CreateListenerInput{
		LoadBalancerArn: lb.LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttps, Port: aws.Int32(443),
		SslPolicy:      aws.String("ELBSecurityPolicy-TLS13-1-2-2021-06"),
		Certificates:   []elbtypes.Certificate{{CertificateArn: aws.String(certARN)}},
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroupArn}},
	}))
	return *lb.LoadBalancerArn
}
