package fix

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// accessKey is an access key's ID and status (never its secret).
type accessKey struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Created string `json:"created"`
}

// keysState is a user's access keys and the ones the fix deactivates.
type keysState struct {
	UserName   string      `json:"user_name"`
	Keys       []accessKey `json:"keys"`
	Deactivate []string    `json:"deactivate"`
}

// IAMDeactivateAccessKey deactivates a user's offending active access keys:
// older than the policy's max_age_days, unused for more than its
// max_unused_days (never used counts from creation), or — when the policy
// gives neither param — every active key but the newest. Undo reactivates
// exactly the keys it deactivated.
type IAMDeactivateAccessKey struct {
	// Now is the clock key ages are measured against (time.Now when nil).
	Now func() time.Time
}

// NewIAMDeactivateAccessKey returns the iam-deactivate-access-key action.
func NewIAMDeactivateAccessKey(now func() time.Time) Action {
	return newAction(meta{id: "iam-deactivate-access-key", undoable: true,
		describe: "deactivate the user's access keys that are too old or unused (or all but the newest active key)"},
		IAMDeactivateAccessKey{Now: now})
}

func (a IAMDeactivateAccessKey) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func daysSince(now, t time.Time) int64 { return int64(now.Sub(t).Hours() / 24) }

func (a IAMDeactivateAccessKey) read(ctx context.Context, t Target) (map[string]any, error) {
	user, err := attr(t, "user_name")
	if err != nil {
		return nil, err
	}
	client := iam.NewFromConfig(t.Config)
	out, err := client.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String(user)})
	if err != nil {
		return nil, fmt.Errorf("list access keys: %w", err)
	}
	maxAge, byAge := paramInt(t.Params, "max_age_days")
	maxUnused, byUse := paramInt(t.Params, "max_unused_days")
	now := a.now()
	st := keysState{UserName: user, Keys: []accessKey{}, Deactivate: []string{}}
	type active struct {
		id      string
		created time.Time
	}
	var actives []active
	for _, k := range out.AccessKeyMetadata {
		created := aws.ToTime(k.CreateDate)
		key := accessKey{ID: aws.ToString(k.AccessKeyId), Status: string(k.Status), Created: created.UTC().Format(time.RFC3339)}
		st.Keys = append(st.Keys, key)
		if k.Status != iamtypes.StatusTypeActive {
			continue
		}
		actives = append(actives, active{key.ID, created})
		offending := byAge && daysSince(now, created) > maxAge
		if byUse && !offending {
			lu, err := client.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})
			if err != nil {
				return nil, fmt.Errorf("access key last used: %w", err)
			}
			since := created
			if lu.AccessKeyLastUsed != nil && lu.AccessKeyLastUsed.LastUsedDate != nil {
				since = *lu.AccessKeyLastUsed.LastUsedDate
			}
			offending = daysSince(now, since) > maxUnused
		}
		if offending {
			st.Deactivate = append(st.Deactivate, key.ID)
		}
	}
	if !byAge && !byUse && len(actives) > 1 {
		sort.Slice(actives, func(i, j int) bool {
			if !actives[i].created.Equal(actives[j].created) {
				return actives[i].created.After(actives[j].created)
			}
			return actives[i].id > actives[j].id // same second: keep one deterministically
		})
		for _, k := range actives[1:] {
			st.Deactivate = append(st.Deactivate, k.id)
		}
	}
	sort.Slice(st.Keys, func(i, j int) bool { return st.Keys[i].ID < st.Keys[j].ID })
	sort.Strings(st.Deactivate)
	return normalize(st), nil
}

func (IAMDeactivateAccessKey) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st keysState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	if len(st.Deactivate) == 0 {
		return nil, "user " + st.UserName + " has no access key to deactivate", true, nil
	}
	calls := make([]Call, 0, len(st.Deactivate))
	for _, id := range st.Deactivate {
		calls = append(calls, call("iam", "UpdateAccessKey", map[string]any{"UserName": st.UserName, "AccessKeyId": id, "Status": "Inactive"}))
	}
	return calls, fmt.Sprintf("deactivate access key(s) %s of user %s", strings.Join(st.Deactivate, ", "), st.UserName), false, nil
}

func (a IAMDeactivateAccessKey) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st keysState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	if err := setKeys(ctx, t, st.UserName, st.Deactivate, iamtypes.StatusTypeInactive); err != nil {
		return nil, err
	}
	after, err := a.read(ctx, t)
	if err != nil {
		return nil, err
	}
	after["deactivated"] = normalize(st)["deactivate"]
	return after, nil
}

func (IAMDeactivateAccessKey) undo(ctx context.Context, t Target, r *Record) error {
	var st keysState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if st.UserName == "" || len(st.Deactivate) == 0 {
		return fmt.Errorf("record %s deactivated no key", r.ID)
	}
	return setKeys(ctx, t, st.UserName, st.Deactivate, iamtypes.StatusTypeActive)
}

func setKeys(ctx context.Context, t Target, user string, ids []string, status iamtypes.StatusType) error {
	client := iam.NewFromConfig(t.Config)
	for _, id := range ids {
		_, err := client.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String(user), AccessKeyId: aws.String(id), Status: status})
		if err != nil {
			return fmt.Errorf("set access key %s %s: %w", id, status, err)
		}
	}
	return nil
}
