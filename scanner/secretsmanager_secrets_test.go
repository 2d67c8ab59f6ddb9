package scanner

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

func TestSecretsAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, c, ok := context.Background(), s.SecretsManager(), docsOK(t)
	const value = "hunter2-do-not-store"
	db, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("prod/db"), SecretString: aws.String(value),
		KmsKeyId: aws.String("alias/app"), Tags: []smtypes.Tag{{Key: aws.String("team"), Value: aws.String("data")}}})
	ok(db, err)
	api, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("prod/api"), SecretString: aws.String(value)})
	ok(api, err)
	// AWS needs a rotation Lambda; moto (which would run it in Docker)
	// accepts the rules alone, and the rules are what vigil reads.
	ok(c.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: db.ARN,
		RotationRules: &smtypes.RotationRulesType{AutomaticallyAfterDays: aws.Int64(30)}}))

	got := docsCollect(t, NewSecrets(), s)
	if len(got) != 2 {
		t.Fatalf("collected %d secrets, want 2", len(got))
	}
	d, a := got[aws.ToString(db.ARN)], got[aws.ToString(api.ARN)]
	if d.ID == "" || a.ID == "" {
		t.Fatalf("secrets not under their ARNs: %v", got)
	}
	for _, sec := range got {
		docsHasKeys(t, sec, "secret_name", "kms_key_id", "rotation_enabled", "rotation_days", "rotation_schedule",
			"last_rotated", "last_changed", "last_accessed", "created", "owning_service", "primary_region", "scheduled_deletion")
		raw, _ := json.Marshal(sec)
		if strings.Contains(string(raw), value) {
			t.Errorf("%s: the secret value reached the asset: %s", sec.Name, raw)
		}
	}
	if d.Name != "prod/db" || d.Tags["team"] != "data" {
		t.Errorf("db: name %q tags %v", d.Name, d.Tags)
	}
	docsWant(t, d, "rotation_enabled", true)
	docsWant(t, d, "rotation_days", int64(30))
	docsWant(t, a, "rotation_enabled", false)
	docsWant(t, a, "rotation_days", int64(0))
	docsWant(t, d, "kms_key_id", "alias/app")
	docsWant(t, a, "scheduled_deletion", false)
}
