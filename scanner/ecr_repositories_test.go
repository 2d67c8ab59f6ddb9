package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
)

func TestECRRepositoriesAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, c, ok := context.Background(), s.ECR(), docsOK(t)
	app, err := c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("team/app"),
		ImageTagMutability:         ecrtypes.ImageTagMutabilityImmutable,
		ImageScanningConfiguration: &ecrtypes.ImageScanningConfiguration{ScanOnPush: true},
		Tags:                       []ecrtypes.Tag{{Key: aws.String("team"), Value: aws.String("web")}}})
	ok(app, err)
	pub, err := c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("shared")})
	ok(pub, err)
	public := `{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}`
	ok(c.SetRepositoryPolicy(ctx, &ecr.SetRepositoryPolicyInput{RepositoryName: aws.String("shared"), PolicyText: aws.String(public)}))

	got := docsCollect(t, NewECRRepositories(), s)
	if len(got) != 2 {
		t.Fatalf("collected %d repositories, want 2", len(got))
	}
	a, p := got[aws.ToString(app.Repository.RepositoryArn)], got[aws.ToString(pub.Repository.RepositoryArn)]
	if a.ID == "" || p.ID == "" {
		t.Fatalf("repositories not under their ARNs: %v", got)
	}
	for _, r := range got {
		docsHasKeys(t, r, "repository_name", "repository_uri", "image_tag_mutability", "scan_on_push",
			"encryption_type", "kms_key", "policy", "created_at")
	}
	if a.Name != "team/app" || a.Tags["team"] != "web" {
		t.Errorf("app: name %q tags %v", a.Name, a.Tags)
	}
	docsWant(t, a, "image_tag_mutability", "IMMUTABLE")
	docsWant(t, p, "image_tag_mutability", "MUTABLE")
	docsWant(t, a, "scan_on_push", true)
	docsWant(t, p, "scan_on_push", false)
	docsWant(t, a, "encryption_type", "AES256")
	if a.Attrs["policy"] != nil {
		t.Errorf("repository without a policy has policy %v, want null", a.Attrs["policy"])
	}
	if acts := docsList(t, p, "policy.statements.0.actions"); !docsContains(acts, "ecr:BatchGetImage") {
		t.Errorf("shared policy actions = %v", acts)
	}
	if pr := docsList(t, p, "policy.statements.0.principals"); !docsContains(pr, "*") {
		t.Errorf("shared policy principals = %v", pr)
	}
}
