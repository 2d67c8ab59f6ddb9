package scanner

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"

	"github.com/vigil-sec/vigil/asset"
)

// AccessAnalyzers collects the IAM Access Analyzer analyzers of a region
// (aws.accessanalyzer.analyzer); a region without any yields a placeholder
// with exists false (ID arn:...:access-analyzer:REGION:ACCOUNT:analyzer/none),
// so CIS 1.20 fails there.
type AccessAnalyzers struct{}

// NewAccessAnalyzers returns the aws.accessanalyzer.analyzer collector.
func NewAccessAnalyzers() *AccessAnalyzers { return &AccessAnalyzers{} }

// Type returns aws.accessanalyzer.analyzer.
func (*AccessAnalyzers) Type() string { return asset.TypeAccessAnalyzer }

// Global reports false: analyzers are regional.
func (*AccessAnalyzers) Global() bool { return false }

// Collect lists the region's analyzers (paged; status and tags come with
// the listing).
func (*AccessAnalyzers) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	out := []asset.Asset{}
	p := accessanalyzer.NewListAnalyzersPaginator(s.AccessAnalyzer(), &accessanalyzer.ListAnalyzersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			if emulatorLacksService(s, err) {
				return []asset.Asset{}, nil
			}
			return nil, fmt.Errorf("access analyzer list analyzers: %w", err)
		}
		for _, a := range page.Analyzers {
			name := aws.ToString(a.Name)
			arn := aws.ToString(a.Arn)
			if arn == "" {
				arn = regionalARN(s, "access-analyzer", "analyzer/"+name)
			}
			attrs := map[string]any{
				"exists":        true,
				"analyzer_name": name,
				"analyzer_type": string(a.Type),
				"status":        string(a.Status),
				"created_at":    docsTime(a.CreatedAt),
			}
			out = append(out, docsAsset(s, asset.TypeAccessAnalyzer, arn, name, s.Region, a.Tags, attrs))
		}
	}
	if len(out) == 0 {
		out = append(out, regionPlaceholder(s, asset.TypeAccessAnalyzer, "access-analyzer", "analyzer", map[string]any{
			"analyzer_name": "", "analyzer_type": "", "status": "", "created_at": "",
		}))
	}
	return out, nil
}

// emulatorLacksService reports whether err is an HTTP error without an AWS
// error code (moto 5.2.1 answers an HTML 500 page for Access Analyzer, others
// a bare 404) from a custom endpoint (AWS_ENDPOINT_URL): an emulator that
// does not serve the service at all.
// The unit then completes with no assets rather than failing every scan
// against the emulator; AWS itself never answers a listing that way.
func emulatorLacksService(s *Session, err error) bool {
	var re *awshttp.ResponseError
	return s.Endpoint != "" && errors.As(err, &re) && re.HTTPStatusCode() >= http.StatusBadRequest && docsErrCode(err) == ""
}
