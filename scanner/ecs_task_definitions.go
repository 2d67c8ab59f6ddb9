package scanner

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/vigil-sec/vigil/asset"
)

// ECSTaskDefinitions collects the active ECS task definition revisions of a
// region (aws.ecs.task-definition). Of each container's environment it keeps
// the variable names only: the values AWS sends never leave the describe
// call.
type ECSTaskDefinitions struct{}

// NewECSTaskDefinitions returns the aws.ecs.task-definition collector.
func NewECSTaskDefinitions() *ECSTaskDefinitions { return &ECSTaskDefinitions{} }

// Type returns aws.ecs.task-definition.
func (*ECSTaskDefinitions) Type() string { return asset.TypeECSTaskDefinition }

// Global reports false: task definitions are regional.
func (*ECSTaskDefinitions) Global() bool { return false }

// Collect lists the region's ACTIVE task definition revisions (paged
// ListTaskDefinitions) and describes each with its tags.
func (*ECSTaskDefinitions) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.ECS()
	var arns []string
	p := ecs.NewListTaskDefinitionsPaginator(client, &ecs.ListTaskDefinitionsInput{Status: ecstypes.TaskDefinitionStatusActive})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("ecs list task definitions: %w", err)
		}
		arns = append(arns, page.TaskDefinitionArns...)
	}
	return docsDescribeEach(ctx, arns, s.Fanout(), func(ctx context.Context, arn string) (*asset.Asset, error) {
		a, err := ecsDescribe(ctx, s, client, arn)
		if err != nil {
			return nil, fmt.Errorf("ecs task definition %s: %w", arn, err)
		}
		return a, nil
	})
}

// ecsDescribe reads one task definition revision and builds its asset. A
// revision deregistered after the listing is still describable (INACTIVE),
// so an error here is a real one.
func ecsDescribe(ctx context.Context, s *Session, client *ecs.Client, arn string) (*asset.Asset, error) {
	out, err := client.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{
		TaskDefinition: aws.String(arn), Include: []ecstypes.TaskDefinitionField{ecstypes.TaskDefinitionFieldTags},
	})
	if err != nil {
		return nil, fmt.Errorf("describe task definition: %w", err)
	}
	td := out.TaskDefinition
	if td == nil {
		return nil, nil
	}
	tags := make(map[string]string, len(out.Tags))
	for _, t := range out.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	containers := make([]any, 0, len(td.ContainerDefinitions))
	for _, c := range td.ContainerDefinitions {
		containers = append(containers, ecsContainer(c))
	}
	compat := make([]string, 0, len(td.RequiresCompatibilities))
	for _, c := range td.RequiresCompatibilities {
		compat = append(compat, string(c))
	}
	family := aws.ToString(td.Family)
	name := family + ":" + strconv.Itoa(int(td.Revision))
	attrs := map[string]any{
		"family":                   family,
		"revision":                 int64(td.Revision),
		"status":                   string(td.Status),
		"network_mode":             string(td.NetworkMode),
		"pid_mode":                 string(td.PidMode),
		"task_role_arn":            aws.ToString(td.TaskRoleArn),
		"execution_role_arn":       aws.ToString(td.ExecutionRoleArn),
		"requires_compatibilities": docsStrings(compat),
		"registered_at":            docsTime(td.RegisteredAt),
		"containers":               containers,
	}
	a := docsAsset(s, asset.TypeECSTaskDefinition, aws.ToString(td.TaskDefinitionArn), name, s.Region, tags, attrs)
	return &a, nil
}

// ecsContainer keeps what vigil documents of a container definition: the
// names of its environment variables and secrets, never their values.
func ecsContainer(c ecstypes.ContainerDefinition) map[string]any {
	env := make([]string, 0, len(c.Environment))
	for _, kv := range c.Environment {
		env = append(env, aws.ToString(kv.Name))
	}
	slices.Sort(env)
	secrets := make([]string, 0, len(c.Secrets))
	for _, sec := range c.Secrets {
		secrets = append(secrets, aws.ToString(sec.Name))
	}
	slices.Sort(secrets)
	logDriver := ""
	if c.LogConfiguration != nil {
		logDriver = string(c.LogConfiguration.LogDriver)
	}
	return map[string]any{
		"name":                     aws.ToString(c.Name),
		"image":                    aws.ToString(c.Image),
		"privileged":               docsBool(c.Privileged),
		"user":                     aws.ToString(c.User),
		"readonly_root_filesystem": docsBool(c.ReadonlyRootFilesystem),
		"environment_keys":         docsStrings(env),
		"secret_names":             docsStrings(secrets),
		"log_driver":               logDriver,
	}
}
