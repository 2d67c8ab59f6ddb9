package fix

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/scanner"
)

// queuePolicyState is an SQS queue's access policy as AWS holds it.
type queuePolicyState struct {
	QueueURL string `json:"queue_url"`
	Policy   string `json:"policy"` // the policy text, "" when none
}

// SQSRemovePublicPolicyStatement removes the statements of a queue policy
// that let anyone use the queue, keeping every other statement as written.
type SQSRemovePublicPolicyStatement struct{}

// NewSQSRemovePublicPolicyStatement returns the
// sqs-remove-public-policy-statement action.
func NewSQSRemovePublicPolicyStatement() Action {
	return newAction(meta{id: "sqs-remove-public-policy-statement", undoable: true,
		describe: "remove the queue policy statements that let anyone use the SQS queue"}, SQSRemovePublicPolicyStatement{})
}

func (SQSRemovePublicPolicyStatement) read(ctx context.Context, t Target) (map[string]any, error) {
	url, err := attr(t, "queue_url")
	if err != nil {
		return nil, err
	}
	out, err := sqs.NewFromConfig(t.Config).GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNamePolicy}})
	if err != nil {
		return nil, fmt.Errorf("get queue policy: %w", err)
	}
	return normalize(queuePolicyState{QueueURL: url, Policy: out.Attributes[string(sqstypes.QueueAttributeNamePolicy)]}), nil
}

func (SQSRemovePublicPolicyStatement) plan(t Target, live map[string]any) ([]Call, string, bool, error) {
	var st queuePolicyState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	kept, removed, err := splitPublicStatements(st.Policy, t.Params)
	if err != nil {
		return nil, "", false, err
	}
	if len(removed) == 0 {
		return nil, "the policy of SQS queue " + st.QueueURL + " has no public statement", true, nil
	}
	return []Call{call("sqs", "SetQueueAttributes", map[string]any{"QueueUrl": st.QueueURL, "Attributes": map[string]any{"Policy": kept}})},
		fmt.Sprintf("remove %d public statement(s) (%s) from the policy of SQS queue %s", len(removed), strings.Join(removed, ", "), st.QueueURL), false, nil
}

func (a SQSRemovePublicPolicyStatement) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st queuePolicyState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	kept, _, err := splitPublicStatements(st.Policy, t.Params)
	if err != nil {
		return nil, err
	}
	if err := setQueuePolicy(ctx, t, st.QueueURL, kept); err != nil {
		return nil, err
	}
	return a.read(ctx, t)
}

func (SQSRemovePublicPolicyStatement) undo(ctx context.Context, t Target, r *Record) error {
	var st queuePolicyState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if st.QueueURL == "" {
		return fmt.Errorf("record %s has no queue in its before-state", r.ID)
	}
	return setQueuePolicy(ctx, t, st.QueueURL, st.Policy)
}

func setQueuePolicy(ctx context.Context, t Target, url, policy string) error {
	_, err := sqs.NewFromConfig(t.Config).SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(url),
		Attributes: map[string]string{string(sqstypes.QueueAttributeNamePolicy): policy}})
	if err != nil {
		return fmt.Errorf("set queue policy: %w", err)
	}
	return nil
}

// splitPublicStatements returns the policy text without its public
// statements ("" when none is left) and the Sids (or positions) of those it
// removed. A statement is public as the sqs-public policy judges it: for one
// of params.actions (the policy's own list), or, without that param, for
// one of the statement's own actions.
func splitPublicStatements(policy string, params map[string]any) (string, []string, error) {
	if strings.TrimSpace(policy) == "" {
		return "", nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(policy)))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return "", nil, fmt.Errorf("queue policy is not JSON (fix it by hand): %w", err)
	}
	key := "Statement"
	for k := range doc {
		if strings.EqualFold(k, "statement") {
			key = k
		}
	}
	var stmts []any
	switch s := doc[key].(type) {
	case []any:
		stmts = s
	case map[string]any:
		stmts = []any{s}
	}
	var kept []any
	var removed []string
	for i, raw := range stmts {
		public, sid, err := statementPublic(raw, params)
		if err != nil {
			return "", nil, err
		}
		if !public {
			kept = append(kept, raw)
			continue
		}
		if sid == "" {
			sid = fmt.Sprintf("statement %d", i+1)
		}
		removed = append(removed, sid)
	}
	if len(removed) == 0 {
		return policy, nil, nil
	}
	if len(kept) == 0 {
		return "", removed, nil
	}
	doc[key] = kept
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep conditions such as "a&b" as written
	if err := enc.Encode(doc); err != nil {
		return "", nil, fmt.Errorf("encode queue policy: %w", err)
	}
	return strings.TrimSpace(buf.String()), removed, nil
}

// statementPublic normalises one raw statement as the scanner does and asks
// the rule engine's AllowsPublic about it.
func statementPublic(raw any, params map[string]any) (bool, string, error) {
	b, err := json.Marshal(map[string]any{"Statement": []any{raw}})
	if err != nil {
		return false, "", fmt.Errorf("encode statement: %w", err)
	}
	doc, err := scanner.NormalizePolicy(string(b))
	if err != nil {
		return false, "", fmt.Errorf("queue policy statement: %w", err)
	}
	st := doc["statements"].([]any)[0].(map[string]any)
	sid, _ := st["sid"].(string)
	actions, _ := params["actions"].([]any)
	if len(actions) == 0 {
		actions, _ = st["actions"].([]any)
	}
	for _, a := range actions {
		if s, ok := a.(string); ok && rules.AllowsPublic(doc, s) {
			return true, sid, nil
		}
	}
	return false, sid, nil
}
