package fix

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
)

// rdsPublicState is whether a DB instance is publicly accessible.
type rdsPublicState struct {
	DBInstanceIdentifier string `json:"db_instance_identifier"`
	PubliclyAccessible   bool   `json:"publicly_accessible"`
}

// RDSDisablePublicAccess makes a DB instance not publicly accessible, at once.
type RDSDisablePublicAccess struct{}

// NewRDSDisablePublicAccess returns the rds-disable-public-access action.
func NewRDSDisablePublicAccess() Action {
	return newAction(meta{id: "rds-disable-public-access", undoable: true,
		describe: "make the DB instance not publicly accessible (applied immediately)"}, RDSDisablePublicAccess{})
}

func (RDSDisablePublicAccess) read(ctx context.Context, t Target) (map[string]any, error) {
	id, err := attr(t, "db_instance_identifier")
	if err != nil {
		return nil, err
	}
	out, err := rds.NewFromConfig(t.Config).DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(id)})
	if err != nil {
		return nil, fmt.Errorf("describe DB instance: %w", err)
	}
	if len(out.DBInstances) != 1 {
		return nil, fmt.Errorf("DB instance %s not found", id)
	}
	return normalize(rdsPublicState{DBInstanceIdentifier: id, PubliclyAccessible: aws.ToBool(out.DBInstances[0].PubliclyAccessible)}), nil
}

func (RDSDisablePublicAccess) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st rdsPublicState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	if !st.PubliclyAccessible {
		return nil, "DB instance " + st.DBInstanceIdentifier + " is not publicly accessible", true, nil
	}
	return []Call{call("rds", "ModifyDBInstance", map[string]any{"DBInstanceIdentifier": st.DBInstanceIdentifier,
		"PubliclyAccessible": false, "ApplyImmediately": true})}, "make DB instance " + st.DBInstanceIdentifier + " not publicly accessible", false, nil
}

func (a RDSDisablePublicAccess) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st rdsPublicState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	if err := setPublic(ctx, t, st.DBInstanceIdentifier, false); err != nil {
		return nil, err
	}
	return a.read(ctx, t)
}

func (RDSDisablePublicAccess) undo(ctx context.Context, t Target, r *Record) error {
	var st rdsPublicState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if st.DBInstanceIdentifier == "" {
		return fmt.Errorf("record %s has no DB instance in its before-state", r.ID)
	}
	return setPublic(ctx, t, st.DBInstanceIdentifier, true)
}

func setPublic(ctx context.Context, t Target, id string, public bool) error {
	_, err := rds.NewFromConfig(t.Config).ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String(id),
		PubliclyAccessible: aws.Bool(public), ApplyImmediately: aws.Bool(true)})
	if err != nil {
		return fmt.Errorf("modify DB instance (publicly accessible %t): %w", public, err)
	}
	return nil
}
