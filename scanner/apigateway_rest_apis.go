package scanner

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/vigil-sec/vigil/asset"
)

// RESTAPIs collects the API Gateway REST APIs of a region
// (aws.apigateway.rest-api) with their stages.
type RESTAPIs struct{}

// NewRESTAPIs returns the aws.apigateway.rest-api collector.
func NewRESTAPIs() *RESTAPIs { return &RESTAPIs{} }

// Type returns aws.apigateway.rest-api.
func (*RESTAPIs) Type() string { return asset.TypeAPIGatewayRESTAPI }

// Global reports false: REST APIs are regional.
func (*RESTAPIs) Global() bool { return false }

// Collect lists the APIs (paged; tags and policy come with the listing) and
// reads each one's stages (one GetStages per API).
func (*RESTAPIs) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.APIGateway()
	var apis []agtypes.RestApi
	p := apigateway.NewGetRestApisPaginator(client, &apigateway.GetRestApisInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("apigateway get rest apis: %w", err)
		}
		apis = append(apis, page.Items...)
	}
	return docsDescribeEach(ctx, apis, s.Fanout(), func(ctx context.Context, api agtypes.RestApi) (*asset.Asset, error) {
		id := aws.ToString(api.Id)
		st, err := client.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: api.Id})
		if err != nil {
			if docsIsCode(err, "NotFoundException") {
				return nil, nil
			}
			return nil, fmt.Errorf("apigateway get stages of %s: %w", id, err)
		}
		policy, err := docsPolicy(api.Policy)
		if err != nil {
			return nil, fmt.Errorf("apigateway rest api %s policy: %w", id, err)
		}
		endpointTypes := []any{}
		if api.EndpointConfiguration != nil {
			endpointTypes = listOf(api.EndpointConfiguration.Types, func(t agtypes.EndpointType) any { return string(t) })
		}
		attrs := map[string]any{
			"api_id":         id,
			"api_name":       aws.ToString(api.Name),
			"endpoint_types": endpointTypes,
			"policy":         policy,
			"created_date":   docsTime(api.CreatedDate),
			"stages":         restAPIStages(st.Item),
		}
		arn := "arn:" + partition(s.Region) + ":apigateway:" + s.Region + "::/restapis/" + id
		a := docsAsset(s, asset.TypeAPIGatewayRESTAPI, arn, nameOr(aws.ToString(api.Name), id), s.Region, api.Tags, attrs)
		return &a, nil
	})
}

// restAPIStages converts stages: execution logging is the "*/*" method
// setting's level (OFF when unset), access logging a destination ARN.
func restAPIStages(stages []agtypes.Stage) []any {
	sort.Slice(stages, func(i, j int) bool { return aws.ToString(stages[i].StageName) < aws.ToString(stages[j].StageName) })
	out := make([]any, 0, len(stages))
	for _, st := range stages {
		level := "OFF"
		if m, ok := st.MethodSettings["*/*"]; ok && aws.ToString(m.LoggingLevel) != "" {
			level = aws.ToString(m.LoggingLevel)
		}
		dest := ""
		if st.AccessLogSettings != nil {
			dest = aws.ToString(st.AccessLogSettings.DestinationArn)
		}
		out = append(out, map[string]any{
			"stage_name":             aws.ToString(st.StageName),
			"logging_level":          level,
			"access_log_destination": dest,
			"tracing_enabled":        st.TracingEnabled,
			"client_certificate_id":  aws.ToString(st.ClientCertificateId),
			"web_acl_arn":            aws.ToString(st.WebAclArn),
			"cache_cluster_enabled":  st.CacheClusterEnabled,
		})
	}
	return out
}
