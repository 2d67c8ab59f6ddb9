package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	efstypes "github.com/aws/aws-sdk-go-v2/service/efs/types"
)

func TestFileSystemsAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, ok := context.Background(), docsOK(t)
	enc, err := s.EFS().CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String("enc"), Encrypted: aws.Bool(true),
		KmsKeyId: aws.String("arn:aws:kms:us-east-1:123456789012:key/abc"),
		Tags:     []efstypes.Tag{{Key: aws.String("Name"), Value: aws.String("shared-home")}, {Key: aws.String("env"), Value: aws.String("prod")}}})
	ok(enc, err)
	plain, err := s.EFS().CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String("plain")})
	ok(plain, err)

	got := docsCollect(t, NewFileSystems(), s)
	if len(got) != 2 {
		t.Fatalf("%d file systems, want 2", len(got))
	}
	e, p := got[aws.ToString(enc.FileSystemArn)], got[aws.ToString(plain.FileSystemArn)]
	if e.ID == "" || p.ID == "" {
		t.Fatalf("file systems not under their ARNs: %v", got)
	}
	for _, a := range []struct {
		id   string
		want bool
	}{{e.ID, true}, {p.ID, false}} {
		fs := got[a.id]
		docsHasKeys(t, fs, "file_system_id", "encrypted", "kms_key_id", "performance_mode", "throughput_mode",
			"life_cycle_state", "mount_targets", "creation_time")
		docsWant(t, fs, "encrypted", a.want)
	}
	if e.Name != "shared-home" || e.Tags["env"] != "prod" {
		t.Errorf("encrypted file system name %q tags %v", e.Name, e.Tags)
	}
	docsWant(t, p, "file_system_id", aws.ToString(plain.FileSystemId))
	if p.Name != aws.ToString(plain.FileSystemId) {
		t.Errorf("untagged file system named %q, want its ID", p.Name)
	}
	if docsGet(t, e, "kms_key_id") == "" {
		t.Error("kms_key_id empty on the encrypted file system")
	}
}
