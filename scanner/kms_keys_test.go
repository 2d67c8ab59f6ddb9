package scanner

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

func TestKMSKeysAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, c, ok := context.Background(), s.KMS(), docsOK(t)
	create := func(desc string, tags ...kmstypes.Tag) *kmstypes.KeyMetadata {
		// moto leaves KeyUsage out unless it is given (AWS always returns it).
		out, err := c.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String(desc), Tags: tags,
			KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt})
		ok(out, err)
		return out.KeyMetadata
	}
	rotated := create("rotated", kmstypes.Tag{TagKey: aws.String("Owner"), TagValue: aws.String("sec")})
	ok(c.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: rotated.KeyId}))
	ok(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/app-data"), TargetKeyId: rotated.KeyId}))
	static := create("static")
	doomed := create("doomed")
	ok(c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: doomed.KeyId, PendingWindowInDays: aws.Int32(7)}))
	other, err := docsTestSession(t, srv, "eu-west-1").KMS().CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("elsewhere")})
	ok(other, err)

	got := docsCollect(t, NewKMSKeys(), s)
	if len(got) != 3 {
		t.Fatalf("collected %d keys in us-east-1, want 3 (the eu-west-1 key belongs to another unit)", len(got))
	}
	r, st, d := got[aws.ToString(rotated.Arn)], got[aws.ToString(static.Arn)], got[aws.ToString(doomed.Arn)]
	for _, a := range got {
		docsHasKeys(t, a, "key_id", "description", "key_state", "key_manager", "key_spec", "key_usage",
			"creation_date", "rotation_enabled")
		docsWant(t, a, "key_manager", "CUSTOMER")
		if a.Region != "us-east-1" || docsGet(t, a, "creation_date") == "" {
			t.Errorf("%s: region %q creation_date %v", a.ID, a.Region, docsGet(t, a, "creation_date"))
		}
	}
	if r.Name != "app-data" || st.Name != aws.ToString(static.KeyId) {
		t.Errorf("names = %q, %q; want the alias, else the key ID", r.Name, st.Name)
	}
	if !reflect.DeepEqual(r.Tags, map[string]string{"Owner": "sec"}) {
		t.Errorf("tags = %v", r.Tags)
	}
	docsWant(t, r, "key_id", aws.ToString(rotated.KeyId))
	docsWant(t, r, "description", "rotated")
	docsWant(t, r, "rotation_enabled", true)
	docsWant(t, st, "rotation_enabled", false)
	docsWant(t, r, "key_state", "Enabled")
	docsWant(t, r, "key_spec", "SYMMETRIC_DEFAULT")
	docsWant(t, r, "key_usage", "ENCRYPT_DECRYPT")
	docsWant(t, d, "key_state", "PendingDeletion")
	docsWant(t, d, "rotation_enabled", false)
}
