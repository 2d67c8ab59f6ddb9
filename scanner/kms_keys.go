package scanner

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/vigil-sec/vigil/asset"
)

// KMSKeys collects the customer-managed KMS keys of a region (AWS-managed
// keys are skipped), with rotation status. Keys pending deletion are kept,
// with their key_state.
type KMSKeys struct{}

// NewKMSKeys returns the aws.kms.key collector.
func NewKMSKeys() *KMSKeys { return &KMSKeys{} }

// Type returns asset.TypeKMSKey.
func (*KMSKeys) Type() string { return asset.TypeKMSKey }

// Global reports false: keys are regional.
func (*KMSKeys) Global() bool { return false }

// Collect lists the region's keys and describes the customer-managed ones.
func (*KMSKeys) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.KMS()
	var keys []kmstypes.KeyListEntry
	p := kms.NewListKeysPaginator(client, &kms.ListKeysInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("kms list keys: %w", err)
		}
		keys = append(keys, page.Keys...)
	}
	aliases, err := kmsAliases(ctx, client)
	if err != nil {
		return nil, err
	}
	return docsDescribeEach(ctx, keys, s.Fanout(), func(ctx context.Context, k kmstypes.KeyListEntry) (*asset.Asset, error) {
		a, err := kmsDescribe(ctx, s, client, aws.ToString(k.KeyId), aliases)
		if err != nil {
			return nil, fmt.Errorf("kms key %s: %w", aws.ToString(k.KeyId), err)
		}
		return a, nil // nil: AWS-managed, or deleted while we looked
	})
}

// kmsAliases maps key IDs to their first alias, which names the asset.
func kmsAliases(ctx context.Context, client *kms.Client) (map[string]string, error) {
	out := map[string]string{}
	p := kms.NewListAliasesPaginator(client, &kms.ListAliasesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("kms list aliases: %w", err)
		}
		for _, a := range page.Aliases {
			id := aws.ToString(a.TargetKeyId)
			if id != "" && out[id] == "" {
				out[id] = aws.ToString(a.AliasName)
			}
		}
	}
	return out, nil
}

// kmsDescribe builds the asset of one customer-managed key; nil for an
// AWS-managed key or one deleted after the listing.
func kmsDescribe(ctx context.Context, s *Session, client *kms.Client, keyID string, aliases map[string]string) (*asset.Asset, error) {
	d, err := client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(keyID)})
	if err != nil {
		if docsIsCode(err, "NotFoundException") {
			return nil, nil
		}
		return nil, fmt.Errorf("describe key: %w", err)
	}
	m := d.KeyMetadata
	if m == nil || m.KeyManager != kmstypes.KeyManagerTypeCustomer {
		return nil, nil
	}
	rotation, err := kmsRotation(ctx, client, m)
	if err != nil {
		return nil, err
	}
	tags := map[string]string{}
	p := kms.NewListResourceTagsPaginator(client, &kms.ListResourceTagsInput{KeyId: m.KeyId})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list resource tags: %w", err)
		}
		for _, t := range page.Tags {
			tags[aws.ToString(t.TagKey)] = aws.ToString(t.TagValue)
		}
	}
	id := aws.ToString(m.KeyId)
	name := strings.TrimPrefix(aliases[id], "alias/")
	if name == "" {
		name = id
	}
	attrs := map[string]any{
		"key_id":           id,
		"description":      aws.ToString(m.Description),
		"key_state":        string(m.KeyState),
		"key_manager":      string(m.KeyManager),
		"key_spec":         string(m.KeySpec),
		"key_usage":        string(m.KeyUsage),
		"creation_date":    docsTime(m.CreationDate),
		"rotation_enabled": rotation,
	}
	a := docsAsset(s, asset.TypeKMSKey, aws.ToString(m.Arn), name, s.Region, tags, attrs)
	return &a, nil
}

// kmsRotation reads automatic rotation. Keys that cannot rotate
// (asymmetric, HMAC, imported material) or cannot answer in their state
// (pending deletion, disabled) report false.
func kmsRotation(ctx context.Context, client *kms.Client, m *kmstypes.KeyMetadata) (bool, error) {
	if (m.KeySpec != "" && m.KeySpec != kmstypes.KeySpecSymmetricDefault) || m.Origin == kmstypes.OriginTypeExternal {
		return false, nil
	}
	out, err := client.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: m.KeyId})
	if err != nil {
		if docsIsCode(err, "KMSInvalidStateException", "UnsupportedOperationException") {
			return false, nil
		}
		return false, fmt.Errorf("get key rotation status: %w", err)
	}
	return out.KeyRotationEnabled, nil
}
