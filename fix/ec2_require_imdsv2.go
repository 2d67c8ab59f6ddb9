package fix

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// imdsState is an instance's IMDS token setting.
type imdsState struct {
	InstanceID string `json:"instance_id"`
	HTTPTokens string `json:"http_tokens"`
}

// EC2RequireIMDSv2 makes an instance require IMDSv2 session tokens.
type EC2RequireIMDSv2 struct{}

// NewEC2RequireIMDSv2 returns the ec2-require-imdsv2 action.
func NewEC2RequireIMDSv2() Action {
	return newAction(meta{id: "ec2-require-imdsv2", undoable: true,
		describe: "require IMDSv2 session tokens on the instance (HttpTokens=required)"}, EC2RequireIMDSv2{})
}

func (EC2RequireIMDSv2) read(ctx context.Context, t Target) (map[string]any, error) {
	id, err := attr(t, "instance_id")
	if err != nil {
		return nil, err
	}
	out, err := ec2.NewFromConfig(t.Config).DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	if err != nil {
		return nil, fmt.Errorf("describe instance: %w", err)
	}
	for _, r := range out.Reservations {
		for _, in := range r.Instances {
			st := imdsState{InstanceID: id}
			if in.MetadataOptions != nil {
				st.HTTPTokens = string(in.MetadataOptions.HttpTokens)
			}
			return normalize(st), nil
		}
	}
	return nil, fmt.Errorf("instance %s not found", id)
}

func (EC2RequireIMDSv2) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st imdsState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	if st.HTTPTokens == "required" {
		return nil, "instance " + st.InstanceID + " already requires IMDSv2", true, nil
	}
	return []Call{call("ec2", "ModifyInstanceMetadataOptions", map[string]any{"InstanceId": st.InstanceID, "HttpTokens": "required"})},
		"require IMDSv2 tokens on instance " + st.InstanceID, false, nil
}

func (a EC2RequireIMDSv2) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st imdsState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	if err := setTokens(ctx, t, st.InstanceID, ec2types.HttpTokensStateRequired); err != nil {
		return nil, err
	}
	return a.read(ctx, t)
}

func (EC2RequireIMDSv2) undo(ctx context.Context, t Target, r *Record) error {
	var st imdsState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if st.InstanceID == "" {
		return fmt.Errorf("record %s has no instance in its before-state", r.ID)
	}
	return setTokens(ctx, t, st.InstanceID, ec2types.HttpTokensStateOptional)
}

func setTokens(ctx context.Context, t Target, id string, s ec2types.HttpTokensState) error {
	_, err := ec2.NewFromConfig(t.Config).ModifyInstanceMetadataOptions(ctx, &ec2.ModifyInstanceMetadataOptionsInput{
		InstanceId: aws.String(id), HttpTokens: s})
	if err != nil {
		return fmt.Errorf("modify instance metadata options (HttpTokens=%s): %w", s, err)
	}
	return nil
}
