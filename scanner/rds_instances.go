package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/vigil-sec/vigil/asset"
)

// RDSInstances collects RDS database instances (aws.rds.instance).
type RDSInstances struct{}

// NewRDSInstances returns the RDS instance collector.
func NewRDSInstances() *RDSInstances { return &RDSInstances{} }

// Type returns aws.rds.instance.
func (*RDSInstances) Type() string { return asset.TypeRDSInstance }

// Global reports false: databases are listed per region.
func (*RDSInstances) Global() bool { return false }

// Collect lists every DB instance of the unit's region.
func (*RDSInstances) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	var out []asset.Asset
	p := rds.NewDescribeDBInstancesPaginator(s.RDS(), &rds.DescribeDBInstancesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("rds DescribeDBInstances: %w", err)
		}
		for _, db := range page.DBInstances {
			out = append(out, rdsInstanceAsset(s, db))
		}
	}
	return out, nil
}

func rdsInstanceAsset(s *Session, db rdstypes.DBInstance) asset.Asset {
	id := str(db.DBInstanceIdentifier)
	tags, name := rdsTags(db.TagList)
	arn := str(db.DBInstanceArn)
	if arn == "" {
		arn = rdsARN(s, "db", id)
	}
	endpoint := ""
	if db.Endpoint != nil {
		endpoint = str(db.Endpoint.Address)
	}
	return asset.Asset{
		ID:   arn,
		Type: asset.TypeRDSInstance,
		Name: nameOr(name, id),
		Tags: tags,
		Attrs: map[string]any{
			"db_instance_identifier":     id,
			"engine":                     str(db.Engine),
			"engine_version":             str(db.EngineVersion),
			"instance_class":             str(db.DBInstanceClass),
			"status":                     str(db.DBInstanceStatus),
			"publicly_accessible":        flag(db.PubliclyAccessible),
			"storage_encrypted":          flag(db.StorageEncrypted),
			"kms_key_id":                 str(db.KmsKeyId),
			"auto_minor_version_upgrade": flag(db.AutoMinorVersionUpgrade),
			"backup_retention_period":    i64(db.BackupRetentionPeriod),
			"multi_az":                   flag(db.MultiAZ),
			"vpc_security_group_ids": listOf(db.VpcSecurityGroups, func(g rdstypes.VpcSecurityGroupMembership) any {
				return str(g.VpcSecurityGroupId)
			}),
			"endpoint": endpoint,
		},
	}
}

// rdsTags converts RDS tags to a map and returns the Name tag.
func rdsTags(tags []rdstypes.Tag) (map[string]string, string) {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[str(t.Key)] = str(t.Value)
	}
	return m, m["Name"]
}
