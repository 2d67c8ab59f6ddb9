package fix

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// pitrState is a DynamoDB table's point-in-time recovery setting.
type pitrState struct {
	Table       string `json:"table_name"`
	PITREnabled bool   `json:"pitr_enabled"`
}

// DynamoDBEnablePITR turns on point-in-time recovery for a table.
type DynamoDBEnablePITR struct{}

// NewDynamoDBEnablePITR returns the dynamodb-enable-pitr action.
func NewDynamoDBEnablePITR() Action {
	return newAction(meta{id: "dynamodb-enable-pitr", undoable: true,
		describe: "turn on point-in-time recovery (continuous backups) for the DynamoDB table"}, DynamoDBEnablePITR{})
}

func (DynamoDBEnablePITR) read(ctx context.Context, t Target) (map[string]any, error) {
	name, err := attr(t, "table_name")
	if err != nil {
		return nil, err
	}
	out, err := dynamodb.NewFromConfig(t.Config).DescribeContinuousBackups(ctx, &dynamodb.DescribeContinuousBackupsInput{TableName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("describe continuous backups: %w", err)
	}
	on := false
	if cb := out.ContinuousBackupsDescription; cb != nil && cb.PointInTimeRecoveryDescription != nil {
		on = cb.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus == ddbtypes.PointInTimeRecoveryStatusEnabled
	}
	return normalize(pitrState{Table: name, PITREnabled: on}), nil
}

func (DynamoDBEnablePITR) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st pitrState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	if st.PITREnabled {
		return nil, "DynamoDB table " + st.Table + " already has point-in-time recovery", true, nil
	}
	return []Call{call("dynamodb", "UpdateContinuousBackups", map[string]any{"TableName": st.Table,
			"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true}})},
		"turn on point-in-time recovery for DynamoDB table " + st.Table, false, nil
}

func (a DynamoDBEnablePITR) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st pitrState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	if err := setPITR(ctx, t, st.Table, true); err != nil {
		return nil, err
	}
	return a.read(ctx, t)
}

func (DynamoDBEnablePITR) undo(ctx context.Context, t Target, r *Record) error {
	var st pitrState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if st.Table == "" {
		return fmt.Errorf("record %s has no table in its before-state", r.ID)
	}
	return setPITR(ctx, t, st.Table, st.PITREnabled)
}

func setPITR(ctx context.Context, t Target, table string, on bool) error {
	_, err := dynamodb.NewFromConfig(t.Config).UpdateContinuousBackups(ctx, &dynamodb.UpdateContinuousBackupsInput{
		TableName: aws.String(table), PointInTimeRecoverySpecification: &ddbtypes.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: aws.Bool(on)}})
	if err != nil {
		return fmt.Errorf("update continuous backups: %w", err)
	}
	return nil
}
