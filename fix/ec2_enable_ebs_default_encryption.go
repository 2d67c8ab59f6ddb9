package fix

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// ebsDefaultState is EBS encryption-by-default per region.
type ebsDefaultState struct {
	Regions map[string]bool `json:"ebs_default_encryption"`
}

func (s ebsDefaultState) off() []string {
	var out []string
	for r, on := range s.Regions {
		if !on {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

// EC2EnableEBSDefaultEncryption turns on EBS encryption by default in every
// region of the account asset where it is off.
type EC2EnableEBSDefaultEncryption struct{}

// NewEC2EnableEBSDefaultEncryption returns the ec2-enable-ebs-default-encryption action.
func NewEC2EnableEBSDefaultEncryption() Action {
	return newAction(meta{id: "ec2-enable-ebs-default-encryption", undoable: true,
		describe: "turn on EBS encryption by default in every scanned region where it is off"}, EC2EnableEBSDefaultEncryption{})
}

// regions are the account asset's scanned regions, else the target's region.
func ebsRegions(t Target) []string {
	m, _ := t.Asset.Attrs["ebs_default_encryption"].(map[string]any)
	out := make([]string, 0, len(m))
	for r := range m {
		out = append(out, r)
	}
	if len(out) == 0 {
		out = append(out, t.Config.Region)
	}
	sort.Strings(out)
	return out
}

func ec2In(t Target, region string) *ec2.Client {
	cfg := t.Config.Copy()
	cfg.Region = region
	return ec2.NewFromConfig(cfg)
}

func (EC2EnableEBSDefaultEncryption) read(ctx context.Context, t Target) (map[string]any, error) {
	st := ebsDefaultState{Regions: map[string]bool{}}
	for _, r := range ebsRegions(t) {
		out, err := ec2In(t, r).GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{})
		if err != nil {
			return nil, fmt.Errorf("get EBS encryption by default in %s: %w", r, err)
		}
		st.Regions[r] = aws.ToBool(out.EbsEncryptionByDefault)
	}
	return normalize(st), nil
}

func (EC2EnableEBSDefaultEncryption) plan(t Target, live map[string]any) ([]Call, string, bool, error) {
	var st ebsDefaultState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	off := st.off()
	if len(off) == 0 {
		return nil, "EBS encryption by default is already on in every scanned region", true, nil
	}
	calls := make([]Call, 0, len(off))
	for _, r := range off {
		calls = append(calls, call("ec2", "EnableEbsEncryptionByDefault", map[string]any{"Region": r}))
	}
	return calls, fmt.Sprintf("turn on EBS encryption by default in %s of account %s", strings.Join(off, ", "), t.Asset.Account), false, nil
}

func (a EC2EnableEBSDefaultEncryption) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st ebsDefaultState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	for _, r := range st.off() {
		if _, err := ec2In(t, r).EnableEbsEncryptionByDefault(ctx, &ec2.EnableEbsEncryptionByDefaultInput{}); err != nil {
			return nil, fmt.Errorf("enable EBS encryption by default in %s: %w", r, err)
		}
	}
	return a.read(ctx, t)
}

// undo turns the setting off again only in the regions the fix turned on.
func (EC2EnableEBSDefaultEncryption) undo(ctx context.Context, t Target, r *Record) error {
	var st ebsDefaultState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	for _, region := range st.off() {
		if _, err := ec2In(t, region).DisableEbsEncryptionByDefault(ctx, &ec2.DisableEbsEncryptionByDefaultInput{}); err != nil {
			return fmt.Errorf("disable EBS encryption by default in %s: %w", region, err)
		}
	}
	return nil
}
