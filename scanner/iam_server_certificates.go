package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/vigil-sec/vigil/asset"
)

// ServerCertificates collects the IAM server certificates of an account (a
// global unit, aws.iam.server-certificate): metadata only, never the
// certificate body or chain (ListServerCertificates returns neither).
type ServerCertificates struct{}

// NewServerCertificates returns the aws.iam.server-certificate collector.
func NewServerCertificates() *ServerCertificates { return &ServerCertificates{} }

// Type returns aws.iam.server-certificate.
func (*ServerCertificates) Type() string { return asset.TypeServerCertificate }

// Global reports true: IAM is account-wide.
func (*ServerCertificates) Global() bool { return true }

// Collect lists the account's server certificates (paged
// ListServerCertificates; nothing per certificate).
func (*ServerCertificates) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	out := []asset.Asset{}
	p := iam.NewListServerCertificatesPaginator(s.IAM(), &iam.ListServerCertificatesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("iam list server certificates: %w", err)
		}
		for _, m := range page.ServerCertificateMetadataList {
			out = append(out, serverCertAsset(s, m))
		}
	}
	return out, nil
}

// serverCertAsset builds the asset of one certificate's metadata.
func serverCertAsset(s *Session, m iamtypes.ServerCertificateMetadata) asset.Asset {
	name := aws.ToString(m.ServerCertificateName)
	attrs := map[string]any{
		"certificate_name": name,
		"certificate_id":   aws.ToString(m.ServerCertificateId),
		"path":             aws.ToString(m.Path),
		"upload_date":      docsTime(m.UploadDate),
		"expiration":       docsTime(m.Expiration),
	}
	return docsAsset(s, asset.TypeServerCertificate, aws.ToString(m.Arn), name, asset.Global, nil, attrs)
}
