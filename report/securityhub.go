package report

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/securityhub/types"
)

// SecurityHubBatch is the most findings BatchImportFindings accepts at once.
const SecurityHubBatch = 100

// SecurityHubAPI is the part of the Security Hub client a push uses.
type SecurityHubAPI interface {
	BatchImportFindings(context.Context, *securityhub.BatchImportFindingsInput, ...func(*securityhub.Options)) (*securityhub.BatchImportFindingsOutput, error)
	GetFindings(context.Context, *securityhub.GetFindingsInput, ...func(*securityhub.Options)) (*securityhub.GetFindingsOutput, error)
}

// HubFor returns the Security Hub client that imports findings of account
// into region, or false when vigil has no credentials for that account
// (BatchImportFindings with a custom product ARN must be called from the
// finding's own account).
type HubFor func(account, region string) (SecurityHubAPI, bool)

// PushFailure is one finding Security Hub did not take, or a whole batch
// that failed.
type PushFailure struct {
	FindingID string `json:"finding_id"`
	Code      string `json:"code"`
	Message   string `json:"message"`
}

// PushResult counts what a push did.
type PushResult struct {
	Imported int           `json:"imported"` // open and exempt violations sent ACTIVE
	Archived int           `json:"archived"` // findings of closed violations sent ARCHIVED
	Skipped  []string      `json:"skipped,omitempty"`
	Failures []PushFailure `json:"failures,omitempty"`
}

// PushSecurityHub sends the active findings (open and exempt violations)
// and archives the ones Security Hub still holds ACTIVE whose violation has
// closed since: closed holds the ARCHIVED form of every closed violation,
// and only those Security Hub reports active under vigil's product are sent,
// so a closed violation is archived once. Findings are grouped by account
// and region (one custom-integration product per pair) and sent in batches
// of 100; throttling is retried by the client's retryer; findings Security
// Hub refuses are listed per finding and the rest still land; a batch or
// region that fails is listed as a failure and the others go on.
func PushSecurityHub(ctx context.Context, hub HubFor, active, closed []ASFFFinding) (PushResult, error) {
	var res PushResult
	closedByID := make(map[string]ASFFFinding, len(closed))
	for _, f := range closed {
		closedByID[f.ID] = f
	}
	activeByKey := groupFindings(active)
	keys := make(map[hubKey]bool, len(activeByKey))
	for k := range activeByKey {
		keys[k] = true
	}
	for _, f := range closed {
		keys[hubKey{f.AwsAccountID, f.Region}] = true
	}
	order := make([]hubKey, 0, len(keys))
	for k := range keys {
		order = append(order, k)
	}
	sort.Slice(order, func(i, j int) bool { return order[i].less(order[j]) })
	for _, k := range order {
		client, ok := hub(k.account, k.region)
		if !ok {
			res.Skipped = append(res.Skipped, fmt.Sprintf("account %s region %s: no credentials for this account (add it under accounts: with a role_arn, or push from it)", k.account, k.region))
			continue
		}
		if err := pushTo(ctx, client, k, activeByKey[k], closedByID, &res); err != nil {
			if ctx.Err() != nil {
				return res, err
			}
			res.Failures = append(res.Failures, PushFailure{Code: "BatchFailed", Message: fmt.Sprintf("account %s region %s: %v", k.account, k.region, err)})
		}
	}
	return res, nil
}

// pushTo imports one account and region's active findings, then archives
// those of closed violations Security Hub still holds active there.
func pushTo(ctx context.Context, client SecurityHubAPI, k hubKey, active []ASFFFinding, closedByID map[string]ASFFFinding, res *PushResult) error {
	n, fails, err := importFindings(ctx, client, active)
	res.Imported += n
	res.Failures = append(res.Failures, fails...)
	if err != nil {
		return err
	}
	stale, err := activeVigilFindings(ctx, client, ProductArn(k.region, k.account))
	if err != nil {
		return err
	}
	var archive []ASFFFinding
	for _, id := range stale {
		if f, ok := closedByID[id]; ok && f.AwsAccountID == k.account && f.Region == k.region {
			archive = append(archive, f)
		}
	}
	n, fails, err = importFindings(ctx, client, archive)
	res.Archived += n
	res.Failures = append(res.Failures, fails...)
	return err
}

type hubKey struct{ account, region string }

func (k hubKey) less(o hubKey) bool {
	if k.account != o.account {
		return k.account < o.account
	}
	return k.region < o.region
}

func groupFindings(fs []ASFFFinding) map[hubKey][]ASFFFinding {
	out := map[hubKey][]ASFFFinding{}
	for _, f := range fs {
		k := hubKey{f.AwsAccountID, f.Region}
		out[k] = append(out[k], f)
	}
	return out
}

// importFindings sends fs in batches and returns how many Security Hub took
// and the ones it refused. An error is a batch the retryer gave up on; the
// batches before it have landed.
func importFindings(ctx context.Context, client SecurityHubAPI, fs []ASFFFinding) (int, []PushFailure, error) {
	var ok int
	var fails []PushFailure
	for start := 0; start < len(fs); start += SecurityHubBatch {
		batch := fs[start:min(start+SecurityHubBatch, len(fs))]
		in := &securityhub.BatchImportFindingsInput{Findings: make([]types.AwsSecurityFinding, len(batch))}
		for i, f := range batch {
			in.Findings[i] = f.sdk()
		}
		out, err := client.BatchImportFindings(ctx, in)
		if err != nil {
			return ok, fails, fmt.Errorf("security hub BatchImportFindings (%d findings from %s): %w", len(batch), batch[0].ID, err)
		}
		ok += int(aws.ToInt32(out.SuccessCount))
		for _, f := range out.FailedFindings {
			fails = append(fails, PushFailure{FindingID: aws.ToString(f.Id), Code: aws.ToString(f.ErrorCode), Message: aws.ToString(f.ErrorMessage)})
		}
	}
	return ok, fails, nil
}

// activeVigilFindings lists the IDs of the findings Security Hub holds
// ACTIVE under product. The filters are applied again here: an emulator
// (moto) ignores them.
func activeVigilFindings(ctx context.Context, client SecurityHubAPI, product string) ([]string, error) {
	in := &securityhub.GetFindingsInput{
		Filters: &types.AwsSecurityFindingFilters{
			ProductArn:  []types.StringFilter{{Comparison: types.StringFilterComparisonEquals, Value: aws.String(product)}},
			RecordState: []types.StringFilter{{Comparison: types.StringFilterComparisonEquals, Value: aws.String(string(types.RecordStateActive))}},
			Id:          []types.StringFilter{{Comparison: types.StringFilterComparisonPrefix, Value: aws.String("vigil/")}},
		},
		MaxResults: aws.Int32(100),
	}
	var ids []string
	p := securityhub.NewGetFindingsPaginator(client, in)
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			var nf *types.InvalidAccessException
			if errors.As(err, &nf) {
				return nil, fmt.Errorf("security hub is not enabled for %s (aws securityhub enable-security-hub): %w", product, err)
			}
			return nil, fmt.Errorf("security hub GetFindings for %s: %w", product, err)
		}
		for _, f := range out.Findings {
			if aws.ToString(f.ProductArn) == product && f.RecordState == types.RecordStateActive && strings.HasPrefix(aws.ToString(f.Id), "vigil/") {
				ids = append(ids, aws.ToString(f.Id))
			}
		}
	}
	return ids, nil
}

// sdk converts the finding into the SDK's type.
func (f ASFFFinding) sdk() types.AwsSecurityFinding {
	out := types.AwsSecurityFinding{
		SchemaVersion: aws.String(f.SchemaVersion), Id: aws.String(f.ID), ProductArn: aws.String(f.ProductArn),
		ProductName: aws.String(f.ProductName), CompanyName: aws.String(f.CompanyName),
		GeneratorId: aws.String(f.GeneratorID), AwsAccountId: aws.String(f.AwsAccountID), Region: aws.String(f.Region),
		Types: f.Types, CreatedAt: aws.String(f.CreatedAt), UpdatedAt: aws.String(f.UpdatedAt),
		Severity: &types.Severity{Label: types.SeverityLabel(f.Severity.Label)},
		Title:    aws.String(f.Title), Description: aws.String(f.Description),
		Compliance:  &types.Compliance{Status: types.ComplianceStatus(f.Compliance.Status), RelatedRequirements: f.Compliance.RelatedRequirements},
		Workflow:    &types.Workflow{Status: types.WorkflowStatus(f.Workflow.Status)},
		RecordState: types.RecordState(f.RecordState),
	}
	if f.Compliance.SecurityControlID != "" {
		out.Compliance.SecurityControlId = aws.String(f.Compliance.SecurityControlID)
	}
	if f.Remediation != nil {
		out.Remediation = &types.Remediation{Recommendation: &types.Recommendation{Text: aws.String(f.Remediation.Recommendation.Text)}}
	}
	for _, r := range f.Resources {
		out.Resources = append(out.Resources, types.Resource{Type: aws.String(r.Type), Id: aws.String(r.ID), Partition: types.Partition(r.Partition), Region: aws.String(r.Region)})
	}
	return out
}
