package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	efstypes "github.com/aws/aws-sdk-go-v2/service/efs/types"

	"github.com/vigil-sec/vigil/asset"
)

// FileSystems collects the EFS file systems of a region
// (aws.efs.file-system).
type FileSystems struct{}

// NewFileSystems returns the EFS file system collector.
func NewFileSystems() *FileSystems { return &FileSystems{} }

// Type returns aws.efs.file-system.
func (*FileSystems) Type() string { return asset.TypeEFSFileSystem }

// Global reports false: file systems are regional.
func (*FileSystems) Global() bool { return false }

// Collect lists the region's file systems (one paged DescribeFileSystems;
// tags come with each file system).
func (*FileSystems) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	out := []asset.Asset{}
	p := efs.NewDescribeFileSystemsPaginator(s.EFS(), &efs.DescribeFileSystemsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("efs describe file systems: %w", err)
		}
		for _, fs := range page.FileSystems {
			out = append(out, fileSystemAsset(s, fs))
		}
	}
	return out, nil
}

func fileSystemAsset(s *Session, fs efstypes.FileSystemDescription) asset.Asset {
	id := aws.ToString(fs.FileSystemId)
	tags := map[string]string{}
	for _, t := range fs.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	arn := aws.ToString(fs.FileSystemArn)
	if arn == "" {
		arn = "arn:" + partition(s.Region) + ":elasticfilesystem:" + s.Region + ":" + s.Account + ":file-system/" + id
	}
	attrs := map[string]any{
		"file_system_id":   id,
		"encrypted":        docsBool(fs.Encrypted),
		"kms_key_id":       aws.ToString(fs.KmsKeyId),
		"performance_mode": string(fs.PerformanceMode),
		"throughput_mode":  string(fs.ThroughputMode),
		"life_cycle_state": string(fs.LifeCycleState),
		"mount_targets":    int64(fs.NumberOfMountTargets),
		"creation_time":    docsTime(fs.CreationTime),
	}
	return docsAsset(s, asset.TypeEFSFileSystem, arn, nameOr(aws.ToString(fs.Name), id), s.Region, tags, attrs)
}
