package fix

import (
	"testing"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/scanner"
)

func bucketAsset(t *testing.T, e *env, name string) *asset.Asset {
	t.Helper()
	return e.collect(t, scanner.NewS3Buckets(), "us-east-1", "arn:aws:s3:::"+name)
}

func TestS3BlockPublicAccess(t *testing.T) {
	e := newEnv(t)
	act := NewS3BlockPublicAccess()
	e.aws(t, "s3api", "create-bucket", "--bucket", "open")
	e.aws(t, "s3api", "put-bucket-acl", "--bucket", "open", "--acl", "public-read")
	e.aws(t, "s3api", "create-bucket", "--bucket", "half")
	e.aws(t, "s3api", "put-public-access-block", "--bucket", "half", "--public-access-block-configuration",
		"BlockPublicAcls=true,IgnorePublicAcls=false,BlockPublicPolicy=false,RestrictPublicBuckets=false")

	t.Run("no configuration: plan changes nothing, apply fixes, undo deletes it again", func(t *testing.T) {
		a := bucketAsset(t, e, "open")
		if passes(t, "s3-bucket-public-read", nil, a) || passes(t, "s3-bucket-public-access-block", nil, a) {
			t.Fatal("fixture: the public bucket should fail both policies")
		}
		tg := e.target(a, nil)
		p := mustPlan(t, act, tg)
		same(t, "public_access_block after plan", a.Attrs["public_access_block"], bucketAsset(t, e, "open").Attrs["public_access_block"])
		if p.Destructive || !p.Undoable || p.Calls[0].Op != "PutPublicAccessBlock" {
			t.Errorf("plan = %+v", p)
		}
		after := mustApply(t, act, tg, p)
		fixed := bucketAsset(t, e, "open")
		if !passes(t, "s3-bucket-public-read", nil, fixed) || !passes(t, "s3-bucket-public-access-block", nil, fixed) {
			t.Errorf("after the fix the bucket still fails: %v", fixed.Attrs["public_access_block"])
		}
		mustUndo(t, act, tg, record(p, after))
		same(t, "public_access_block after undo", a.Attrs["public_access_block"], bucketAsset(t, e, "open").Attrs["public_access_block"])
	})

	t.Run("drift aborts; undo restores a partial configuration", func(t *testing.T) {
		a := bucketAsset(t, e, "half")
		tg := e.target(a, nil)
		p := mustPlan(t, act, tg)
		e.aws(t, "s3api", "put-public-access-block", "--bucket", "half", "--public-access-block-configuration",
			"BlockPublicAcls=false,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false")
		wantDrift(t, act, tg, p, "public_access_block")
		mutated := bucketAsset(t, e, "half")
		if attrOf(mutated, "public_access_block.ignore_public_acls") != true || attrOf(mutated, "public_access_block.block_public_acls") != false {
			t.Fatalf("a refused apply changed the bucket: %v", mutated.Attrs["public_access_block"])
		}
		p = mustPlan(t, act, tg)
		after := mustApply(t, act, tg, p)
		if !passes(t, "s3-bucket-public-access-block", nil, bucketAsset(t, e, "half")) {
			t.Error("after the fix the bucket still fails")
		}
		mustUndo(t, act, tg, record(p, after))
		same(t, "public_access_block after undo", mutated.Attrs["public_access_block"], bucketAsset(t, e, "half").Attrs["public_access_block"])
	})

	t.Run("compliant bucket is a no-op", func(t *testing.T) {
		p, err := act.Plan(t.Context(), e.target(bucketAsset(t, e, "open"), nil))
		if err != nil || p.Noop {
			t.Fatalf("undone bucket: plan %+v err %v, want work to do", p, err)
		}
		e.aws(t, "s3api", "put-public-access-block", "--bucket", "open", "--public-access-block-configuration",
			"BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true")
		p, err = act.Plan(t.Context(), e.target(bucketAsset(t, e, "open"), nil))
		if err != nil || !p.Noop || len(p.Calls) != 0 {
			t.Fatalf("plan on a compliant bucket = %+v, %v; want a no-op", p, err)
		}
	})
}

func attrOf(a *asset.Asset, path string) any {
	v, _ := asset.Get(a.Attrs, path)
	return v
}

func TestS3RemovePublicACL(t *testing.T) {
	e := newEnv(t)
	act := NewS3RemovePublicACL()
	e.aws(t, "s3api", "create-bucket", "--bucket", "acl")
	e.aws(t, "s3api", "put-bucket-acl", "--bucket", "acl", "--acl", "public-read")
	a := bucketAsset(t, e, "acl")
	if passes(t, "s3-bucket-public-read", nil, a) {
		t.Fatal("fixture: public-read bucket should fail s3-bucket-public-read")
	}
	tg := e.target(a, nil)
	p := mustPlan(t, act, tg)
	same(t, "acl after plan", a.Attrs["acl"], bucketAsset(t, e, "acl").Attrs["acl"])

	owner := asset.String(attrOf(a, "acl.owner"))
	e.aws(t, "s3api", "put-bucket-acl", "--bucket", "acl", "--grant-full-control", "id="+owner,
		"--grant-read", "uri="+authUsersURI)
	wantDrift(t, act, tg, p, "grants")
	drifted := bucketAsset(t, e, "acl")
	if g := attrOf(drifted, "acl.grants.1.grantee"); g != "AuthenticatedUsers" {
		t.Fatalf("a refused apply changed the ACL: %v", drifted.Attrs["acl"])
	}

	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	fixed := bucketAsset(t, e, "acl")
	if !passes(t, "s3-bucket-public-read", nil, fixed) || !passes(t, "s3-bucket-public-write", nil, fixed) {
		t.Errorf("after the fix the ACL is still public: %v", fixed.Attrs["acl"])
	}
	if attrOf(fixed, "acl.owner") != attrOf(a, "acl.owner") || len(attrOf(fixed, "acl.grants").([]any)) != 1 {
		t.Errorf("the owner's grant should stay: %v", fixed.Attrs["acl"])
	}
	mustUndo(t, act, tg, record(p, after))
	same(t, "acl after undo", drifted.Attrs["acl"], bucketAsset(t, e, "acl").Attrs["acl"])
}

func TestS3EnableEncryption(t *testing.T) {
	e := newEnv(t)
	act := NewS3EnableEncryption()
	e.aws(t, "s3api", "create-bucket", "--bucket", "plain")
	a := bucketAsset(t, e, "plain")
	if passes(t, "s3-bucket-encryption", nil, a) {
		t.Fatalf("fixture: a new moto bucket should have no default encryption: %v", a.Attrs["encryption"])
	}
	tg := e.target(a, nil)
	p := mustPlan(t, act, tg)
	same(t, "encryption after plan", a.Attrs["encryption"], bucketAsset(t, e, "plain").Attrs["encryption"])

	e.aws(t, "s3api", "put-bucket-encryption", "--bucket", "plain", "--server-side-encryption-configuration",
		`{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"alias/x"}}]}`)
	wantDrift(t, act, tg, p, "enabled")
	if attrOf(bucketAsset(t, e, "plain"), "encryption.algorithm") != "aws:kms" {
		t.Fatal("a refused apply changed the encryption")
	}
	e.aws(t, "s3api", "delete-bucket-encryption", "--bucket", "plain")

	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	fixed := bucketAsset(t, e, "plain")
	if !passes(t, "s3-bucket-encryption", nil, fixed) || attrOf(fixed, "encryption.algorithm") != "AES256" {
		t.Errorf("after the fix: %v", fixed.Attrs["encryption"])
	}
	if p2, err := act.Plan(t.Context(), tg); err != nil || !p2.Noop {
		t.Errorf("plan on the fixed bucket: %+v %v, want a no-op", p2, err)
	}
	mustUndo(t, act, tg, record(p, after))
	same(t, "encryption after undo", a.Attrs["encryption"], bucketAsset(t, e, "plain").Attrs["encryption"])
}

func TestS3EnableVersioning(t *testing.T) {
	e := newEnv(t)
	act := NewS3EnableVersioning()
	e.aws(t, "s3api", "create-bucket", "--bucket", "versioned")
	a := bucketAsset(t, e, "versioned")
	if passes(t, "s3-bucket-versioning", nil, a) {
		t.Fatal("fixture: new bucket should fail s3-bucket-versioning")
	}
	tg := e.target(a, nil)
	p := mustPlan(t, act, tg)
	same(t, "versioning after plan", a.Attrs["versioning"], bucketAsset(t, e, "versioned").Attrs["versioning"])

	e.aws(t, "s3api", "put-bucket-versioning", "--bucket", "versioned", "--versioning-configuration", "Status=Suspended")
	wantDrift(t, act, tg, p, "status")
	if attrOf(bucketAsset(t, e, "versioned"), "versioning.status") != "Suspended" {
		t.Fatal("a refused apply changed versioning")
	}
	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	if fixed := bucketAsset(t, e, "versioned"); !passes(t, "s3-bucket-versioning", nil, fixed) {
		t.Errorf("after the fix: %v", fixed.Attrs["versioning"])
	}
	mustUndo(t, act, tg, record(p, after))
	if got := attrOf(bucketAsset(t, e, "versioned"), "versioning.status"); got != "Suspended" {
		t.Errorf("after undo versioning.status = %v, want Suspended", got)
	}
}

func TestS3AccountBlockPublicAccess(t *testing.T) {
	e := newEnv(t)
	act := NewS3AccountBlockPublicAccess()
	acct := e.collect(t, scanner.NewAccount(), "us-east-1", asset.AccountID(motoAccount))
	if passes(t, "s3-account-public-access-block", nil, acct) {
		t.Fatal("fixture: a fresh account should fail s3-account-public-access-block")
	}
	tg := e.target(acct, nil)
	p := mustPlan(t, act, tg)
	readAcct := func() *asset.Asset {
		return e.collect(t, scanner.NewAccount(), "us-east-1", asset.AccountID(motoAccount))
	}
	same(t, "account BPA after plan", acct.Attrs["s3_public_access_block"], readAcct().Attrs["s3_public_access_block"])

	// awscli cannot reach s3control on moto (account ID in the host): use the SDK.
	if err := putAccountBPA(t.Context(), tg, motoAccount, bpa{BlockPublicAcls: true}); err != nil {
		t.Fatal(err)
	}
	wantDrift(t, act, tg, p, "s3_public_access_block")
	mutated := readAcct()
	if attrOf(mutated, "s3_public_access_block.ignore_public_acls") != false {
		t.Fatal("a refused apply changed the account")
	}
	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	if fixed := readAcct(); !passes(t, "s3-account-public-access-block", nil, fixed) {
		t.Errorf("after the fix: %v", fixed.Attrs["s3_public_access_block"])
	}
	mustUndo(t, act, tg, record(p, after))
	same(t, "account BPA after undo", mutated.Attrs["s3_public_access_block"], readAcct().Attrs["s3_public_access_block"])
}
