package fix

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
)

// scanState is an ECR repository's basic scan-on-push setting.
type scanState struct {
	Repository string `json:"repository_name"`
	ScanOnPush bool   `json:"scan_on_push"`
}

// ECREnableScanOnPush turns on scan on push for a repository.
type ECREnableScanOnPush struct{}

// NewECREnableScanOnPush returns the ecr-enable-scan-on-push action.
func NewECREnableScanOnPush() Action {
	return newAction(meta{id: "ecr-enable-scan-on-push", undoable: true,
		describe: "turn on basic image scanning on push for the ECR repository"}, ECREnableScanOnPush{})
}

func (ECREnableScanOnPush) read(ctx context.Context, t Target) (map[string]any, error) {
	name, err := attr(t, "repository_name")
	if err != nil {
		return nil, err
	}
	out, err := ecr.NewFromConfig(t.Config).DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{name}})
	if err != nil {
		return nil, fmt.Errorf("describe repository: %w", err)
	}
	if len(out.Repositories) != 1 {
		return nil, fmt.Errorf("repository %s not found (re-scan)", name)
	}
	r := out.Repositories[0]
	return normalize(scanState{Repository: name, ScanOnPush: r.ImageScanningConfiguration != nil && r.ImageScanningConfiguration.ScanOnPush}), nil
}

func (ECREnableScanOnPush) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st scanState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	if st.ScanOnPush {
		return nil, "ECR repository " + st.Repository + " already scans on push", true, nil
	}
	return []Call{call("ecr", "PutImageScanningConfiguration", map[string]any{"repositoryName": st.Repository,
		"imageScanningConfiguration": map[string]any{"scanOnPush": true}})}, "turn on scan on push for ECR repository " + st.Repository, false, nil
}

func (a ECREnableScanOnPush) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st scanState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	if err := setScanOnPush(ctx, t, st.Repository, true); err != nil {
		return nil, err
	}
	return a.read(ctx, t)
}

func (ECREnableScanOnPush) undo(ctx context.Context, t Target, r *Record) error {
	var st scanState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if st.Repository == "" {
		return fmt.Errorf("record %s has no repository in its before-state", r.ID)
	}
	return setScanOnPush(ctx, t, st.Repository, st.ScanOnPush)
}

func setScanOnPush(ctx context.Context, t Target, name string, on bool) error {
	_, err := ecr.NewFromConfig(t.Config).PutImageScanningConfiguration(ctx, &ecr.PutImageScanningConfigurationInput{
		RepositoryName: aws.String(name), ImageScanningConfiguration: &ecrtypes.ImageScanningConfiguration{ScanOnPush: on}})
	if err != nil {
		return fmt.Errorf("put image scanning configuration: %w", err)
	}
	return nil
}
