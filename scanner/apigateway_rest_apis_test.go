package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

func TestRESTAPIsAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, ok := context.Background(), docsOK(t)
	c := s.APIGateway()
	api, err := c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("orders"), Tags: map[string]string{"env": "prod"}})
	if err != nil {
		t.Fatalf("seed api: %v", err)
	}
	res, err := c.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: api.Id})
	if err != nil || len(res.Items) == 0 {
		t.Fatalf("seed resources: %v", err)
	}
	root := res.Items[0].Id
	ok(c.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: api.Id, ResourceId: root, HttpMethod: aws.String("GET"), AuthorizationType: aws.String("NONE")}))
	ok(c.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: api.Id, ResourceId: root, HttpMethod: aws.String("GET"), Type: agtypes.IntegrationTypeMock}))
	dep, err := c.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: api.Id})
	if err != nil {
		t.Fatalf("seed deployment: %v", err)
	}
	ok(c.CreateStage(ctx, &apigateway.CreateStageInput{RestApiId: api.Id, DeploymentId: dep.Id, StageName: aws.String("prod")}))
	ok(c.CreateStage(ctx, &apigateway.CreateStageInput{RestApiId: api.Id, DeploymentId: dep.Id, StageName: aws.String("dev")}))
	ok(c.UpdateStage(ctx, &apigateway.UpdateStageInput{RestApiId: api.Id, StageName: aws.String("prod"), PatchOperations: []agtypes.PatchOperation{
		{Op: agtypes.OpReplace, Path: aws.String("/*/*/logging/loglevel"), Value: aws.String("INFO")},
	}}))

	got := docsCollect(t, NewRESTAPIs(), s)
	a, found := got["arn:aws:apigateway:us-east-1::/restapis/"+aws.ToString(api.Id)]
	if len(got) != 1 || !found {
		t.Fatalf("apis %v, want orders under its ARN", got)
	}
	docsHasKeys(t, a, "api_id", "api_name", "endpoint_types", "policy", "created_date", "stages")
	stages := map[string]map[string]any{}
	for _, st := range docsList(t, a, "stages") {
		m := st.(map[string]any)
		stages[m["stage_name"].(string)] = m
	}
	if stages["prod"]["logging_level"] != "INFO" || stages["dev"]["logging_level"] != "OFF" {
		t.Errorf("stages %v: want prod logging INFO and dev OFF", stages)
	}
	if a.Name != "orders" || a.Tags["env"] != "prod" {
		t.Errorf("api name %q tags %v", a.Name, a.Tags)
	}
}
