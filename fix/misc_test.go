package fix

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/rds"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/scanner"
)

func TestKMSEnableRotation(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := kms.NewFromConfig(e.cfg)
	key := ok(c.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("app")}))(t).KeyMetadata
	read := func() *asset.Asset { return e.collect(t, scanner.NewKMSKeys(), region, aws.ToString(key.Arn)) }
	a := read()
	if passes(t, "kms-key-rotation", nil, a) {
		t.Fatal("fixture: a new key should not rotate")
	}
	act := NewKMSEnableRotation()
	tg := e.target(a, nil)
	p := mustPlan(t, act, tg)
	if read().Attrs["rotation_enabled"] != false {
		t.Fatal("plan changed the key")
	}
	ok(c.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: key.KeyId}))(t)
	wantDrift(t, act, tg, p, "rotation_enabled")
	ok(c.DisableKeyRotation(ctx, &kms.DisableKeyRotationInput{KeyId: key.KeyId}))(t)

	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	if !passes(t, "kms-key-rotation", nil, read()) {
		t.Error("after the fix the key does not rotate")
	}
	mustUndo(t, act, tg, record(p, after))
	if read().Attrs["rotation_enabled"] != false {
		t.Error("undo did not turn rotation off")
	}
}

func TestRDSDisablePublicAccess(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := rds.NewFromConfig(e.cfg)
	db := ok(c.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{DBInstanceIdentifier: aws.String("orders"), DBInstanceClass: aws.String("db.t3.micro"),
		Engine: aws.String("postgres"), AllocatedStorage: aws.Int32(20), MasterUsername: aws.String("admin1"),
		MasterUserPassword: aws.String("not-a-secret-1"), PubliclyAccessible: aws.Bool(true)}))(t).DBInstance
	read := func() *asset.Asset {
		return e.collect(t, scanner.NewRDSInstances(), region, aws.ToString(db.DBInstanceArn))
	}
	a := read()
	if passes(t, "rds-public", nil, a) {
		t.Fatal("fixture: the DB should be public")
	}
	act := NewRDSDisablePublicAccess()
	tg := e.target(a, nil)
	p := mustPlan(t, act, tg)
	if read().Attrs["publicly_accessible"] != true {
		t.Fatal("plan changed the DB")
	}
	setPub := func(v bool) {
		ok(c.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: db.DBInstanceIdentifier, PubliclyAccessible: aws.Bool(v), ApplyImmediately: aws.Bool(true)}))(t)
	}
	setPub(false)
	wantDrift(t, act, tg, p, "publicly_accessible")
	setPub(true)

	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	if !passes(t, "rds-public", nil, read()) {
		t.Error("after the fix the DB is still public")
	}
	mustUndo(t, act, tg, record(p, after))
	if read().Attrs["publicly_accessible"] != true {
		t.Error("undo did not make the DB public again")
	}
}

func TestCloudTrailEnableLogValidation(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	e.aws(t, "s3api", "create-bucket", "--bucket", "trail-logs")
	c := cloudtrail.NewFromConfig(e.cfg)
	trail := ok(c.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("main"), S3BucketName: aws.String("trail-logs")}))(t)
	read := func() *asset.Asset { return e.collect(t, scanner.NewTrails(), region, aws.ToString(trail.TrailARN)) }
	a := read()
	if passes(t, "cloudtrail-log-validation", nil, a) {
		t.Fatal("fixture: the trail should not validate logs")
	}
	act := NewCloudTrailEnableLogValidation()
	tg := e.target(a, nil)
	p := mustPlan(t, act, tg)
	if read().Attrs["log_file_validation"] != false {
		t.Fatal("plan changed the trail")
	}
	setV := func(v bool) {
		ok(c.UpdateTrail(ctx, &cloudtrail.UpdateTrailInput{Name: aws.String("main"), EnableLogFileValidation: aws.Bool(v)}))(t)
	}
	setV(true)
	wantDrift(t, act, tg, p, "log_file_validation")
	setV(false)

	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	if !passes(t, "cloudtrail-log-validation", nil, read()) {
		t.Error("after the fix the trail does not validate logs")
	}
	mustUndo(t, act, tg, record(p, after))
	if read().Attrs["log_file_validation"] != false {
		t.Error("undo did not turn validation off")
	}
}
