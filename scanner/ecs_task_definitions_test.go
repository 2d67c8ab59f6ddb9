package scanner

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

func TestECSTaskDefinitionsAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, c, ok := context.Background(), s.ECS(), docsOK(t)
	const value = "s3cr3t-value-never-stored"
	web, err := c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"),
		NetworkMode: ecstypes.NetworkModeAwsvpc, Tags: []ecstypes.Tag{{Key: aws.String("team"), Value: aws.String("shop")}},
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("nginx:1.27"), Memory: aws.Int32(256),
			Privileged: aws.Bool(true),
			Environment: []ecstypes.KeyValuePair{{Name: aws.String("DB_PASSWORD"), Value: aws.String(value)},
				{Name: aws.String("STAGE"), Value: aws.String("prod")}},
			Secrets: []ecstypes.Secret{{Name: aws.String("API_TOKEN"), ValueFrom: aws.String("arn:aws:secretsmanager:us-east-1:123456789012:secret:tok")}}}}})
	ok(web, err)
	v2, err := c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("nginx:1.28"), Memory: aws.Int32(256)}}})
	ok(v2, err)
	gone, err := c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("old"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("busybox"), Memory: aws.Int32(64)}}})
	ok(gone, err)
	ok(c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: gone.TaskDefinition.TaskDefinitionArn}))

	got := docsCollect(t, NewECSTaskDefinitions(), s)
	if len(got) != 2 {
		t.Fatalf("collected %d task definitions, want the 2 active revisions: %v", len(got), got)
	}
	w1, w2 := got[aws.ToString(web.TaskDefinition.TaskDefinitionArn)], got[aws.ToString(v2.TaskDefinition.TaskDefinitionArn)]
	if w1.ID == "" || w2.ID == "" {
		t.Fatalf("task definitions not under their ARNs: %v", got)
	}
	for _, a := range got {
		docsHasKeys(t, a, "family", "revision", "status", "network_mode", "pid_mode", "task_role_arn", "execution_role_arn",
			"requires_compatibilities", "registered_at", "containers")
		raw, _ := json.Marshal(a)
		if strings.Contains(string(raw), value) || strings.Contains(string(raw), "secretsmanager") {
			t.Errorf("%s: an environment value or secret reference reached the asset: %s", a.Name, raw)
		}
	}
	if w1.Name != "web:1" || w2.Name != "web:2" || w1.Tags["team"] != "shop" {
		t.Errorf("names %q, %q, tags %v", w1.Name, w2.Name, w1.Tags)
	}
	docsWant(t, w1, "revision", int64(1))
	docsWant(t, w1, "status", "ACTIVE")
	docsWant(t, w1, "network_mode", "awsvpc")
	docsWant(t, w1, "containers.0.name", "app")
	docsWant(t, w1, "containers.0.image", "nginx:1.27")
	docsWant(t, w1, "containers.0.privileged", true)
	docsWant(t, w2, "containers.0.privileged", false)
	if env := docsList(t, w1, "containers.0.environment_keys"); !reflect.DeepEqual(env, []any{"DB_PASSWORD", "STAGE"}) {
		t.Errorf("environment_keys = %v, want the names only", env)
	}
	if sec := docsList(t, w1, "containers.0.secret_names"); !reflect.DeepEqual(sec, []any{"API_TOKEN"}) {
		t.Errorf("secret_names = %v", sec)
	}
}
