package fix

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/scanner"
)

// The tests of the batch-A fixes (issue 13): SQS, ECR, DynamoDB.

func TestSQSRemovePublicPolicyStatement(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := sqs.NewFromConfig(e.cfg)
	const original = `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"owner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sqs:*","Resource":"*"},` +
		`{"Sid":"anyone","Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"},` +
		`{"Sid":"sns","Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:t"}}}]}`
	q := ok(c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("orders"), Attributes: map[string]string{"Policy": original}}))(t)
	arn := "arn:aws:sqs:" + region + ":" + motoAccount + ":orders"
	read := func() *asset.Asset { return e.collect(t, scanner.NewSQSQueues(), region, arn) }
	a := read()
	params := map[string]any{"actions": []any{"sqs:SendMessage", "sqs:ReceiveMessage"}}
	if passes(t, "sqs-public", nil, a) {
		t.Fatal("fixture: the queue should be public")
	}
	act := NewSQSRemovePublicPolicyStatement()
	tg := e.target(a, params)
	p := mustPlan(t, act, tg)
	if !strings.Contains(p.Summary, "anyone") || strings.Contains(p.Summary, "owner") || strings.Contains(p.Summary, "sns") {
		t.Errorf("plan summary %q should name only the public statement", p.Summary)
	}
	if passes(t, "sqs-public", nil, read()) {
		t.Fatal("plan changed the queue")
	}
	setPolicy := func(text string) {
		ok(c.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: q.QueueUrl, Attributes: map[string]string{"Policy": text}}))(t)
	}
	setPolicy(strings.Replace(original, `"Sid":"owner"`, `"Sid":"owner2"`, 1))
	wantDrift(t, act, tg, p, "policy")
	setPolicy(original)

	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	fixed := read()
	if !passes(t, "sqs-public", nil, fixed) {
		t.Errorf("after the fix the queue is still public: %v", fixed.Attrs["policy"])
	}
	var sids []string
	for _, s := range fixed.Attrs["policy"].(map[string]any)["statements"].([]any) {
		sids = append(sids, s.(map[string]any)["sid"].(string))
	}
	if strings.Join(sids, ",") != "owner,sns" {
		t.Errorf("statements kept = %v, want owner and the narrowed sns one", sids)
	}
	mustUndo(t, act, tg, record(p, after))
	if passes(t, "sqs-public", nil, read()) {
		t.Error("undo did not restore the public statement")
	}
}

func TestSQSRemovePublicPolicyStatementRemovesTheWholePolicy(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := sqs.NewFromConfig(e.cfg)
	ok(c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("jobs"), Attributes: map[string]string{
		"Policy": `{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sqs:*","Resource":"*"}}`}}))(t)
	arn := "arn:aws:sqs:" + region + ":" + motoAccount + ":jobs"
	a := e.collect(t, scanner.NewSQSQueues(), region, arn)
	act := NewSQSRemovePublicPolicyStatement()
	tg := e.target(a, nil) // no params: the statement's own actions decide
	p := mustPlan(t, act, tg)
	if !strings.Contains(p.Summary, "statement 1") {
		t.Errorf("summary %q should name the unnamed statement by position", p.Summary)
	}
	mustApply(t, act, tg, p)
	if got := e.collect(t, scanner.NewSQSQueues(), region, arn).Attrs["policy"]; got != nil {
		t.Errorf("policy after removing its only statement = %v, want none", got)
	}
	if p2, err := act.Plan(context.Background(), tg); err != nil || !p2.Noop {
		t.Errorf("second plan = %+v, %v; want a noop", p2, err)
	}
}

func TestECREnableScanOnPush(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := ecr.NewFromConfig(e.cfg)
	create := func(name string) *ecrtypes.Repository {
		return ok(c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String(name)}))(t).Repository
	}
	read := func(r *ecrtypes.Repository) *asset.Asset {
		return e.collect(t, scanner.NewECRRepositories(), region, aws.ToString(r.RepositoryArn))
	}
	drifting, repo := create("team/drift"), create("team/app")
	act := NewECREnableScanOnPush()

	// moto ignores scanOnPush=false (the SDK leaves a false bool out and
	// moto keeps the old setting on an empty configuration), so drift is
	// shown on a repository of its own.
	a := read(drifting)
	if passes(t, "ecr-scan-on-push", nil, a) {
		t.Fatal("fixture: a new repository should not scan on push")
	}
	p := mustPlan(t, act, e.target(a, nil))
	if read(drifting).Attrs["scan_on_push"] != false {
		t.Fatal("plan changed the repository")
	}
	ok(c.PutImageScanningConfiguration(ctx, &ecr.PutImageScanningConfigurationInput{RepositoryName: drifting.RepositoryName,
		ImageScanningConfiguration: &ecrtypes.ImageScanningConfiguration{ScanOnPush: true}}))(t)
	wantDrift(t, act, e.target(a, nil), p, "scan_on_push")

	a = read(repo)
	tg := e.target(a, nil)
	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	if !passes(t, "ecr-scan-on-push", nil, read(repo)) {
		t.Error("after the fix the repository does not scan on push")
	}
	// Undo sends PutImageScanningConfiguration without scanOnPush, which
	// AWS reads as false; check the request, since moto keeps the setting.
	var sent []string
	tg.Config.HTTPClient = recordingClient{seen: &sent}
	mustUndo(t, act, tg, record(p, after))
	if len(sent) != 1 || !strings.Contains(sent[0], "PutImageScanningConfiguration") || !strings.Contains(sent[0], `"repositoryName":"team/app"`) ||
		strings.Contains(sent[0], `"scanOnPush":true`) {
		t.Errorf("undo sent %q, want one PutImageScanningConfiguration of team/app without scanOnPush=true", sent)
	}
}

// recordingClient forwards requests to moto and records each one's target
// operation and body.
type recordingClient struct{ seen *[]string }

// Do records the request and sends it on.
func (c recordingClient) Do(r *http.Request) (*http.Response, error) {
	body := ""
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		body = string(b)
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	*c.seen = append(*c.seen, r.Header.Get("X-Amz-Target")+" "+body)
	return http.DefaultClient.Do(r)
}

func TestDynamoDBEnablePITR(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := dynamodb.NewFromConfig(e.cfg)
	table := ok(c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("orders"),
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: ddbtypes.KeyTypeHash}},
		BillingMode:          ddbtypes.BillingModePayPerRequest}))(t).TableDescription
	read := func() *asset.Asset {
		return e.collect(t, scanner.NewDynamoDBTables(), region, aws.ToString(table.TableArn))
	}
	a := read()
	if passes(t, "dynamodb-pitr", nil, a) {
		t.Fatal("fixture: a new table should have no point-in-time recovery")
	}
	act := NewDynamoDBEnablePITR()
	tg := e.target(a, nil)
	p := mustPlan(t, act, tg)
	if read().Attrs["pitr_enabled"] != false {
		t.Fatal("plan changed the table")
	}
	set := func(on bool) {
		ok(c.UpdateContinuousBackups(ctx, &dynamodb.UpdateContinuousBackupsInput{TableName: aws.String("orders"),
			PointInTimeRecoverySpecification: &ddbtypes.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: aws.Bool(on)}}))(t)
	}
	set(true)
	wantDrift(t, act, tg, p, "pitr_enabled")
	set(false)

	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	if !passes(t, "dynamodb-pitr", nil, read()) {
		t.Error("after the fix the table has no point-in-time recovery")
	}
	mustUndo(t, act, tg, record(p, after))
	if read().Attrs["pitr_enabled"] != false {
		t.Error("undo did not turn point-in-time recovery off")
	}
}
