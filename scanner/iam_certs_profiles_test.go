package scanner

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/vigil-sec/vigil/asset"
)

func TestServerCertificatesAndInstanceProfilesAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, asset.Global)
	ctx, c, ok := context.Background(), s.IAM(), docsOK(t)
	cert, err := c.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("www"),
		Path: aws.String("/web/"), CertificateBody: aws.String(fakePEM), PrivateKey: aws.String(fakePEM)})
	ok(cert, err)
	role, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	ok(role, err)
	withRole, err := c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("app-profile")})
	ok(withRole, err)
	ok(c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("app-profile"), RoleName: aws.String("app")}))
	empty, err := c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("empty"), Path: aws.String("/ops/")})
	ok(empty, err)

	certs := docsCollect(t, NewServerCertificates(), s)
	if len(certs) != 1 {
		t.Fatalf("collected %d certificates, want 1", len(certs))
	}
	w := certs[aws.ToString(cert.ServerCertificateMetadata.Arn)]
	if w.ID == "" || w.Name != "www" || w.Region != asset.Global {
		t.Fatalf("certificate identity: %+v", w)
	}
	docsHasKeys(t, w, "certificate_name", "certificate_id", "path", "upload_date", "expiration")
	docsWant(t, w, "path", "/web/")
	// moto 5.2.1 answers a fixed expiry for every certificate.
	docsWant(t, w, "expiration", "2012-05-08T01:02:03Z")
	if raw, _ := json.Marshal(w); strings.Contains(string(raw), "BEGIN CERTIFICATE") || strings.Contains(string(raw), "MIIB") {
		t.Errorf("certificate body reached the asset: %s", raw)
	}

	profiles := docsCollect(t, NewInstanceProfiles(), s)
	if len(profiles) != 2 {
		t.Fatalf("collected %d instance profiles, want 2", len(profiles))
	}
	a, e := profiles[aws.ToString(withRole.InstanceProfile.Arn)], profiles[aws.ToString(empty.InstanceProfile.Arn)]
	if a.ID == "" || e.ID == "" || a.Region != asset.Global {
		t.Fatalf("profiles not under their ARNs: %v", profiles)
	}
	for _, p := range profiles {
		docsHasKeys(t, p, "instance_profile_name", "instance_profile_id", "path", "create_date", "roles", "role_arns")
	}
	if roles := docsList(t, a, "roles"); !reflect.DeepEqual(roles, []any{"app"}) {
		t.Errorf("app-profile roles = %v", roles)
	}
	if arns := docsList(t, a, "role_arns"); !reflect.DeepEqual(arns, []any{aws.ToString(role.Role.Arn)}) {
		t.Errorf("app-profile role_arns = %v", arns)
	}
	if roles := docsList(t, e, "roles"); len(roles) != 0 {
		t.Errorf("empty profile roles = %v", roles)
	}
	docsWant(t, e, "path", "/ops/")
}
