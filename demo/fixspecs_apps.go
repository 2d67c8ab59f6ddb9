package demo

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

// appsFixSpecs are the simulated fixes of issue 13's batch A.
func appsFixSpecs() []spec {
	return []spec{
		{id: "sqs-remove-public-policy-statement", typ: asset.TypeSQSQueue, key: "queue_url", path: "policy", undoable: true,
			describe: "remove the queue policy statements that let anyone use the SQS queue",
			target:   privateQueuePolicy, calls: queuePolicyCalls, summary: queuePolicySummary,
			noop: "the policy of SQS queue %s has no public statement"},
		{id: "ecr-enable-scan-on-push", typ: asset.TypeECRRepository, key: "repository_name", path: "scan_on_push", undoable: true,
			describe: "turn on basic image scanning on push for the ECR repository",
			target:   to(true),
			calls: one("ecr", "PutImageScanningConfiguration", "repositoryName",
				map[string]any{"imageScanningConfiguration": map[string]any{"scanOnPush": true}}),
			summary: says("turn on scan on push for ECR repository %s"), noop: "ECR repository %s already scans on push"},
		{id: "dynamodb-enable-pitr", typ: asset.TypeDynamoDBTable, key: "table_name", path: "pitr_enabled", undoable: true,
			describe: "turn on point-in-time recovery (continuous backups) for the DynamoDB table",
			target:   to(true),
			calls: one("dynamodb", "UpdateContinuousBackups", "TableName",
				map[string]any{"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true}}),
			summary: says("turn on point-in-time recovery for DynamoDB table %s"), noop: "DynamoDB table %s already has point-in-time recovery"},
	}
}

// publicStatement reports whether a normalised statement is public as the
// sqs-public policy judges it (see fix.SQSRemovePublicPolicyStatement).
func publicStatement(st any, params map[string]any) bool {
	m, _ := st.(map[string]any)
	doc := map[string]any{"statements": []any{m}}
	actions, _ := params["actions"].([]any)
	if len(actions) == 0 {
		actions, _ = m["actions"].([]any)
	}
	for _, a := range actions {
		if s, ok := a.(string); ok && rules.AllowsPublic(doc, s) {
			return true
		}
	}
	return false
}

// privateQueuePolicy is the queue policy without its public statements
// (nil when none is left).
func privateQueuePolicy(cur any, params map[string]any, _ time.Time) any {
	doc, _ := cur.(map[string]any)
	if doc == nil {
		return nil
	}
	stmts, _ := doc["statements"].([]any)
	kept := []any{}
	for _, st := range stmts {
		if !publicStatement(st, params) {
			kept = append(kept, st)
		}
	}
	if len(kept) == len(stmts) {
		return cur
	}
	if len(kept) == 0 {
		return nil
	}
	return map[string]any{"version": doc["version"], "statements": kept}
}

// removedSids names the statements the fix removes.
func removedSids(cur, target any) []string {
	keep := map[string]bool{}
	if t, _ := target.(map[string]any); t != nil {
		for _, st := range t["statements"].([]any) {
			keep[asset.String(st.(map[string]any)["sid"])] = true
		}
	}
	var out []string
	if c, _ := cur.(map[string]any); c != nil {
		for _, st := range c["statements"].([]any) {
			if sid := asset.String(st.(map[string]any)["sid"]); !keep[sid] {
				out = append(out, sid)
			}
		}
	}
	return out
}

// queuePolicyCalls is the SetQueueAttributes call that writes the kept
// statements (Policy "" removes the policy).
func queuePolicyCalls(url string, _, target any) []fix.Call {
	text := ""
	if target != nil {
		b, _ := json.Marshal(target)
		text = string(b)
	}
	return []fix.Call{call("sqs", "SetQueueAttributes", map[string]any{"QueueUrl": url, "Attributes": map[string]any{"Policy": text}})}
}

// queuePolicySummary says which statements go.
func queuePolicySummary(url string, cur, target any) string {
	sids := removedSids(cur, target)
	return fmt.Sprintf("remove %d public statement(s) (%s) from the policy of SQS queue %s", len(sids), strings.Join(sids, ", "), url)
}
