package scanner

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/vigil-sec/vigil/asset"
)

// LambdaFunctions collects the Lambda functions of a region with their
// resource policy. Of the environment it keeps the variable names only.
type LambdaFunctions struct{}

// NewLambdaFunctions returns the aws.lambda.function collector.
func NewLambdaFunctions() *LambdaFunctions { return &LambdaFunctions{} }

// Type returns asset.TypeLambda.
func (*LambdaFunctions) Type() string { return asset.TypeLambda }

// Global reports false: functions are regional.
func (*LambdaFunctions) Global() bool { return false }

// Collect lists the region's functions and reads each resource policy.
func (*LambdaFunctions) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.Lambda()
	var fns []lambdaFunction
	p := lambda.NewListFunctionsPaginator(client, &lambda.ListFunctionsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("lambda list functions: %w", err)
		}
		for _, f := range page.Functions {
			fns = append(fns, lambdaStrip(f))
		}
		// page (with the environment values AWS sent) is dropped here.
	}
	return docsDescribeEach(ctx, fns, s.Fanout(), func(ctx context.Context, f lambdaFunction) (*asset.Asset, error) {
		a, err := lambdaDescribe(ctx, s, client, f)
		if err != nil {
			return nil, fmt.Errorf("lambda function %s: %w", f.name, err)
		}
		return a, nil // nil: deleted while we looked
	})
}

// lambdaFunction is what vigil keeps of a listed function: everything but
// the environment variable values, which never outlive the listing call.
type lambdaFunction struct {
	arn, name, runtime, handler, role, lastModified, vpcID string
	memory, timeout                                        int64
	envKeys                                                []any
}

// lambdaStrip copies the fields vigil documents, taking only the names of
// the environment variables.
func lambdaStrip(f lambdatypes.FunctionConfiguration) lambdaFunction {
	keys := []string{}
	if f.Environment != nil {
		for k := range f.Environment.Variables {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	vpc := ""
	if f.VpcConfig != nil {
		vpc = aws.ToString(f.VpcConfig.VpcId)
	}
	return lambdaFunction{
		arn: aws.ToString(f.FunctionArn), name: aws.ToString(f.FunctionName), runtime: string(f.Runtime),
		handler: aws.ToString(f.Handler), role: aws.ToString(f.Role), lastModified: lambdaTime(aws.ToString(f.LastModified)),
		vpcID: vpc, memory: docsInt32(f.MemorySize), timeout: docsInt32(f.Timeout), envKeys: docsStrings(keys),
	}
}

// lambdaTime converts Lambda's "2006-01-02T15:04:05.000+0000" to RFC3339
// UTC; an unparsable value is kept as AWS wrote it.
func lambdaTime(v string) string {
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", time.RFC3339Nano, "2006-01-02T15:04:05-0700"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC().Format(time.RFC3339)
		}
	}
	return v
}

// lambdaDescribe reads a function's resource policy and tags and builds its
// asset, or nil when it was deleted after the listing.
func lambdaDescribe(ctx context.Context, s *Session, client *lambda.Client, f lambdaFunction) (*asset.Asset, error) {
	var policy any
	out, err := client.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String(f.name)})
	switch {
	case err == nil:
		if policy, err = docsPolicy(out.Policy); err != nil {
			return nil, fmt.Errorf("resource policy: %w", err)
		}
	case docsIsCode(err, "ResourceNotFoundException"):
		// no resource policy (or the function is gone: ListTags will tell)
	default:
		return nil, fmt.Errorf("get policy: %w", err)
	}
	tags, err := client.ListTags(ctx, &lambda.ListTagsInput{Resource: aws.String(f.arn)})
	if err != nil {
		if docsIsCode(err, "ResourceNotFoundException") {
			return nil, nil
		}
		return nil, fmt.Errorf("list tags: %w", err)
	}
	attrs := map[string]any{
		"function_name":    f.name,
		"runtime":          f.runtime,
		"handler":          f.handler,
		"role":             f.role,
		"last_modified":    f.lastModified,
		"memory_size":      f.memory,
		"timeout":          f.timeout,
		"environment_keys": f.envKeys,
		"policy":           policy,
		"vpc_id":           f.vpcID,
	}
	a := docsAsset(s, asset.TypeLambda, f.arn, f.name, s.Region, tags.Tags, attrs)
	return &a, nil
}
