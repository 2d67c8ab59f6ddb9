package fix

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
)

// trailValidationState is whether a trail validates its log files.
type trailValidationState struct {
	Trail             string `json:"trail"`
	LogFileValidation bool   `json:"log_file_validation"`
}

// CloudTrailEnableLogValidation turns on log file integrity validation of a trail.
type CloudTrailEnableLogValidation struct{}

// NewCloudTrailEnableLogValidation returns the cloudtrail-enable-log-validation action.
func NewCloudTrailEnableLogValidation() Action {
	return newAction(meta{id: "cloudtrail-enable-log-validation", undoable: true,
		describe: "turn on log file integrity validation of the trail"}, CloudTrailEnableLogValidation{})
}

func (CloudTrailEnableLogValidation) read(ctx context.Context, t Target) (map[string]any, error) {
	name := t.Asset.ID // the trail ARN
	if name == "" {
		return nil, fmt.Errorf("trail asset has no ID")
	}
	out, err := cloudtrail.NewFromConfig(t.Config).GetTrail(ctx, &cloudtrail.GetTrailInput{Name: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("get trail: %w", err)
	}
	if out.Trail == nil {
		return nil, fmt.Errorf("trail %s not found", name)
	}
	return normalize(trailValidationState{Trail: name, LogFileValidation: aws.ToBool(out.Trail.LogFileValidationEnabled)}), nil
}

func (CloudTrailEnableLogValidation) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st trailValidationState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	if st.LogFileValidation {
		return nil, "trail " + st.Trail + " already validates its log files", true, nil
	}
	return []Call{call("cloudtrail", "UpdateTrail", map[string]any{"Name": st.Trail, "EnableLogFileValidation": true})},
		"turn on log file validation of trail " + st.Trail, false, nil
}

func (a CloudTrailEnableLogValidation) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st trailValidationState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	if err := setValidation(ctx, t, st.Trail, true); err != nil {
		return nil, err
	}
	return a.read(ctx, t)
}

func (CloudTrailEnableLogValidation) undo(ctx context.Context, t Target, r *Record) error {
	var st trailValidationState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if st.Trail == "" {
		return fmt.Errorf("record %s has no trail in its before-state", r.ID)
	}
	return setValidation(ctx, t, st.Trail, false)
}

func setValidation(ctx context.Context, t Target, trail string, on bool) error {
	_, err := cloudtrail.NewFromConfig(t.Config).UpdateTrail(ctx, &cloudtrail.UpdateTrailInput{Name: aws.String(trail), EnableLogFileValidation: aws.Bool(on)})
	if err != nil {
		return fmt.Errorf("update trail (log file validation %t): %w", on, err)
	}
	return nil
}
