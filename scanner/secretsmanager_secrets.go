package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/vigil-sec/vigil/asset"
)

// Secrets collects the Secrets Manager secrets of a region
// (aws.secretsmanager.secret): their rotation and key settings only. Secret
// values are never requested (no GetSecretValue call exists in vigil).
type Secrets struct{}

// NewSecrets returns the aws.secretsmanager.secret collector.
func NewSecrets() *Secrets { return &Secrets{} }

// Type returns aws.secretsmanager.secret.
func (*Secrets) Type() string { return asset.TypeSecret }

// Global reports false: secrets are regional.
func (*Secrets) Global() bool { return false }

// Collect lists the region's secrets (paged ListSecrets; rotation settings
// and tags come with the listing).
func (*Secrets) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	out := []asset.Asset{}
	p := secretsmanager.NewListSecretsPaginator(s.SecretsManager(), &secretsmanager.ListSecretsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("secretsmanager list secrets: %w", err)
		}
		for _, e := range page.SecretList {
			out = append(out, secretAsset(s, e))
		}
	}
	return out, nil
}

// secretAsset builds the asset of one listed secret.
func secretAsset(s *Session, e smtypes.SecretListEntry) asset.Asset {
	name := aws.ToString(e.Name)
	tags := make(map[string]string, len(e.Tags))
	for _, t := range e.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	var days int64
	schedule := ""
	if r := e.RotationRules; r != nil {
		days = aws.ToInt64(r.AutomaticallyAfterDays)
		schedule = aws.ToString(r.ScheduleExpression)
	}
	attrs := map[string]any{
		"secret_name":        name,
		"kms_key_id":         aws.ToString(e.KmsKeyId),
		"rotation_enabled":   docsBool(e.RotationEnabled),
		"rotation_days":      days,
		"rotation_schedule":  schedule,
		"last_rotated":       docsTime(e.LastRotatedDate),
		"last_changed":       docsTime(e.LastChangedDate),
		"last_accessed":      docsTime(e.LastAccessedDate),
		"created":            docsTime(e.CreatedDate),
		"owning_service":     aws.ToString(e.OwningService),
		"primary_region":     aws.ToString(e.PrimaryRegion),
		"scheduled_deletion": e.DeletedDate != nil && !e.DeletedDate.IsZero(),
	}
	return docsAsset(s, asset.TypeSecret, aws.ToString(e.ARN), name, s.Region, tags, attrs)
}
