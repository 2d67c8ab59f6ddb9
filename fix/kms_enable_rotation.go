package fix

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// rotationState is a KMS key's automatic rotation setting.
type rotationState struct {
	KeyID           string `json:"key_id"`
	RotationEnabled bool   `json:"rotation_enabled"`
}

// KMSEnableRotation turns on automatic yearly rotation of a customer-managed key.
type KMSEnableRotation struct{}

// NewKMSEnableRotation returns the kms-enable-rotation action.
func NewKMSEnableRotation() Action {
	return newAction(meta{id: "kms-enable-rotation", undoable: true,
		describe: "turn on automatic rotation of the customer-managed KMS key"}, KMSEnableRotation{})
}

func (KMSEnableRotation) read(ctx context.Context, t Target) (map[string]any, error) {
	id, err := attr(t, "key_id")
	if err != nil {
		return nil, err
	}
	out, err := kms.NewFromConfig(t.Config).GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(id)})
	if err != nil {
		return nil, fmt.Errorf("get key rotation status: %w", err)
	}
	return normalize(rotationState{KeyID: id, RotationEnabled: out.KeyRotationEnabled}), nil
}

func (KMSEnableRotation) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st rotationState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	if st.RotationEnabled {
		return nil, "KMS key " + st.KeyID + " already rotates", true, nil
	}
	return []Call{call("kms", "EnableKeyRotation", map[string]any{"KeyId": st.KeyID})}, "turn on automatic rotation of KMS key " + st.KeyID, false, nil
}

func (a KMSEnableRotation) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st rotationState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	if _, err := kms.NewFromConfig(t.Config).EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(st.KeyID)}); err != nil {
		return nil, fmt.Errorf("enable key rotation: %w", err)
	}
	return a.read(ctx, t)
}

func (KMSEnableRotation) undo(ctx context.Context, t Target, r *Record) error {
	var st rotationState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if st.KeyID == "" {
		return fmt.Errorf("record %s has no key in its before-state", r.ID)
	}
	if _, err := kms.NewFromConfig(t.Config).DisableKeyRotation(ctx, &kms.DisableKeyRotationInput{KeyId: aws.String(st.KeyID)}); err != nil {
		return fmt.Errorf("disable key rotation: %w", err)
	}
	return nil
}
