package scanner

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
)

// selfSigned returns a PEM certificate and key for name, valid until
// notAfter (moto parses imported certificates).
func selfSigned(t *testing.T, name string, notAfter time.Time) (cert, key []byte) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: notAfter.AddDate(-1, 0, 0), NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

func TestACMCertificatesAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx := context.Background()
	notAfter := time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
	body, key := selfSigned(t, "shop.example.com", notAfter)
	imp, err := s.ACM().ImportCertificate(ctx, &acm.ImportCertificateInput{Certificate: body, PrivateKey: key,
		Tags: []acmtypes.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
	if err != nil {
		t.Fatalf("seed import: %v", err)
	}
	req, err := s.ACM().RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: aws.String("api.example.com")})
	if err != nil {
		t.Fatalf("seed request: %v", err)
	}

	got := docsCollect(t, NewACMCertificates(), s)
	if len(got) != 2 {
		t.Fatalf("%d certificates, want 2 (the ECDSA one too): %v", len(got), got)
	}
	c, r := got[aws.ToString(imp.CertificateArn)], got[aws.ToString(req.CertificateArn)]
	if c.ID == "" || r.ID == "" {
		t.Fatalf("certificates not under their ARNs: %v", got)
	}
	docsHasKeys(t, c, "domain_name", "subject_alternative_names", "status", "certificate_type", "key_algorithm",
		"not_before", "not_after", "in_use", "in_use_by", "renewal_eligibility", "issuer")
	docsWant(t, c, "domain_name", "shop.example.com")
	docsWant(t, c, "not_after", "2026-12-10T00:00:00Z")
	docsWant(t, c, "certificate_type", "IMPORTED")
	docsWant(t, c, "in_use", false)
	docsWant(t, r, "certificate_type", "AMAZON_ISSUED")
	if c.Name != "shop.example.com" || c.Tags["env"] != "prod" {
		t.Errorf("imported certificate name %q tags %v", c.Name, c.Tags)
	}
	for _, a := range got {
		for k, v := range a.Attrs {
			if s, ok := v.(string); ok && len(s) > 20 && s[:11] == "-----BEGIN " {
				t.Errorf("%s: %s holds PEM text; certificate bodies are never stored", a.ID, k)
			}
		}
	}
}
