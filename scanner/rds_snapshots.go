package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/vigil-sec/vigil/asset"
)

// RDSSnapshots collects RDS DB snapshots (aws.rds.snapshot) with who may
// restore them.
type RDSSnapshots struct{}

// NewRDSSnapshots returns the RDS snapshot collector.
func NewRDSSnapshots() *RDSSnapshots { return &RDSSnapshots{} }

// Type returns aws.rds.snapshot.
func (*RDSSnapshots) Type() string { return asset.TypeRDSSnapshot }

// Global reports false: snapshots are listed per region.
func (*RDSSnapshots) Global() bool { return false }

// Collect lists the DB snapshots of the unit's region; manual ones have
// their restore attribute read (automated snapshots cannot be shared).
func (*RDSSnapshots) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.RDS()
	var snaps []rdstypes.DBSnapshot
	p := rds.NewDescribeDBSnapshotsPaginator(client, &rds.DescribeDBSnapshotsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("rds DescribeDBSnapshots: %w", err)
		}
		snaps = append(snaps, page.DBSnapshots...)
	}
	out := make([]asset.Asset, len(snaps))
	err := parallel(ctx, len(snaps), s.Fanout(), func(ctx context.Context, i int) error {
		a, err := rdsSnapshotAsset(ctx, client, s, snaps[i])
		out[i] = a
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func rdsSnapshotAsset(ctx context.Context, client *rds.Client, s *Session, snap rdstypes.DBSnapshot) (asset.Asset, error) {
	id := str(snap.DBSnapshotIdentifier)
	public := false
	shared := []any{}
	if str(snap.SnapshotType) == "manual" {
		res, err := client.DescribeDBSnapshotAttributes(ctx, &rds.DescribeDBSnapshotAttributesInput{DBSnapshotIdentifier: aws.String(id)})
		if err != nil {
			return asset.Asset{}, fmt.Errorf("rds DescribeDBSnapshotAttributes %s: %w", id, err)
		}
		if r := res.DBSnapshotAttributesResult; r != nil {
			for _, attr := range r.DBSnapshotAttributes {
				if str(attr.AttributeName) != "restore" {
					continue
				}
				for _, v := range attr.AttributeValues {
					if v == "all" {
						public = true
					} else {
						shared = append(shared, v)
					}
				}
			}
		}
	}
	tags, name := rdsTags(snap.TagList)
	arn := str(snap.DBSnapshotArn)
	if arn == "" {
		arn = rdsARN(s, "snapshot", id)
	}
	return asset.Asset{
		ID:   arn,
		Type: asset.TypeRDSSnapshot,
		Name: nameOr(name, id),
		Tags: tags,
		Attrs: map[string]any{
			"snapshot_identifier":    id,
			"db_instance_identifier": str(snap.DBInstanceIdentifier),
			"engine":                 str(snap.Engine),
			"encrypted":              flag(snap.Encrypted),
			"snapshot_type":          str(snap.SnapshotType),
			"status":                 str(snap.Status),
			"create_time":            stamp(snap.SnapshotCreateTime),
			"public":                 public,
			"shared_with":            shared,
		},
	}, nil
}
