package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"

	"github.com/vigil-sec/vigil/asset"
)

// ACMCertificates collects the ACM certificates of a region
// (aws.acm.certificate): dates, status and use, never the certificate body.
type ACMCertificates struct{}

// NewACMCertificates returns the aws.acm.certificate collector.
func NewACMCertificates() *ACMCertificates { return &ACMCertificates{} }

// Type returns aws.acm.certificate.
func (*ACMCertificates) Type() string { return asset.TypeACMCertificate }

// Global reports false: certificates are regional.
func (*ACMCertificates) Global() bool { return false }

// Collect lists the certificates of every key type (paged), then describes
// each and reads its tags (two calls per certificate).
func (*ACMCertificates) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.ACM()
	var arns []string
	// Without a key-type filter ListCertificates leaves out ECDSA and RSA
	// 3072/4096 certificates.
	in := &acm.ListCertificatesInput{Includes: &acmtypes.Filters{KeyTypes: acmtypes.KeyAlgorithm("").Values()}}
	p := acm.NewListCertificatesPaginator(client, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("acm list certificates: %w", err)
		}
		for _, c := range page.CertificateSummaryList {
			arns = append(arns, aws.ToString(c.CertificateArn))
		}
	}
	return docsDescribeEach(ctx, arns, s.Fanout(), func(ctx context.Context, arn string) (*asset.Asset, error) {
		return acmDescribe(ctx, s, client, arn)
	})
}

// acmDescribe builds one certificate's asset, nil when it was deleted after
// the listing.
func acmDescribe(ctx context.Context, s *Session, client *acm.Client, arn string) (*asset.Asset, error) {
	out, err := client.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arn)})
	if err != nil {
		if docsIsCode(err, "ResourceNotFoundException") {
			return nil, nil
		}
		return nil, fmt.Errorf("acm describe certificate %s: %w", arn, err)
	}
	tagsOut, err := client.ListTagsForCertificate(ctx, &acm.ListTagsForCertificateInput{CertificateArn: aws.String(arn)})
	if err != nil {
		if docsIsCode(err, "ResourceNotFoundException") {
			return nil, nil
		}
		return nil, fmt.Errorf("acm list tags for certificate %s: %w", arn, err)
	}
	tags := map[string]string{}
	for _, t := range tagsOut.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	c := out.Certificate
	if c == nil {
		return nil, nil
	}
	attrs := map[string]any{
		"domain_name":               aws.ToString(c.DomainName),
		"subject_alternative_names": docsStrings(c.SubjectAlternativeNames),
		"status":                    string(c.Status),
		"certificate_type":          string(c.Type),
		"key_algorithm":             string(c.KeyAlgorithm),
		"not_before":                docsTime(c.NotBefore),
		"not_after":                 docsTime(c.NotAfter),
		"in_use":                    len(c.InUseBy) > 0,
		"in_use_by":                 docsStrings(c.InUseBy),
		"renewal_eligibility":       string(c.RenewalEligibility),
		"issuer":                    aws.ToString(c.Issuer),
	}
	a := docsAsset(s, asset.TypeACMCertificate, arn, nameOr(aws.ToString(c.DomainName), arn), s.Region, tags, attrs)
	return &a, nil
}
