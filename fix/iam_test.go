package fix

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/scanner"
)

// keyStatuses reads a user's key statuses as a user would, with awscli.
func keyStatuses(t *testing.T, e *env, user string) string {
	out := e.aws(t, "iam", "list-access-keys", "--user-name", user, "--query", "AccessKeyMetadata[].[AccessKeyId,Status]", "--output", "text")
	return strings.Join(strings.Fields(out), " ")
}

func TestIAMDeactivateAccessKey(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := iam.NewFromConfig(e.cfg)
	newKey := func(user string) string {
		return *ok(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: &user}))(t).AccessKey.AccessKeyId
	}
	read := func(user string) *asset.Asset {
		return e.collect(t, scanner.NewIAMUsers(), region, "arn:aws:iam::"+motoAccount+":user/"+user)
	}
	act := NewIAMDeactivateAccessKey(nil)

	t.Run("too old (max_age_days): drift refused, fix, undo", func(t *testing.T) {
		ok(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))(t)
		k1, k2 := newKey("bob"), newKey("bob")
		// -1 days: every active key counts as too old, since moto cannot back-date keys.
		params := map[string]any{"max_age_days": -1}
		a := read("bob")
		if passes(t, "iam-access-key-rotation", params, a) {
			t.Fatal("fixture: bob's keys should be too old")
		}
		tg := e.target(a, params)
		p := mustPlan(t, act, tg)
		before := keyStatuses(t, e, "bob")
		if strings.Count(before, "Active") != 2 || len(p.Calls) != 2 {
			t.Fatalf("after plan keys %q, calls %v", before, p.Calls)
		}
		ok(c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: &k1, Status: iamtypes.StatusTypeInactive}))(t)
		wantDrift(t, act, tg, p, "keys")
		if got := keyStatuses(t, e, "bob"); !strings.Contains(got, k2+" Active") {
			t.Fatalf("a refused apply changed the keys: %s", got)
		}
		p = mustPlan(t, act, tg)
		after := mustApply(t, act, tg, p)
		if !passes(t, "iam-access-key-rotation", params, read("bob")) {
			t.Error("after the fix bob still has a too-old active key")
		}
		mustUndo(t, act, tg, record(p, after))
		if got := keyStatuses(t, e, "bob"); !strings.Contains(got, k2+" Active") || !strings.Contains(got, k1+" Inactive") {
			t.Errorf("after undo %s, want only %s reactivated", got, k2)
		}
	})

	t.Run("unused (max_unused_days)", func(t *testing.T) {
		ok(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")}))(t)
		k := newKey("carol")
		params := map[string]any{"max_unused_days": -1}
		a := read("carol")
		if passes(t, "iam-credentials-unused", params, a) {
			t.Fatal("fixture: carol's key should count as unused")
		}
		tg := e.target(a, params)
		p := mustPlan(t, act, tg)
		mustApply(t, act, tg, p)
		if got := keyStatuses(t, e, "carol"); got != k+" Inactive" || !passes(t, "iam-credentials-unused", params, read("carol")) {
			t.Errorf("after the fix: %s", got)
		}
		if p2, err := act.Plan(ctx, tg); err != nil || !p2.Noop {
			t.Errorf("plan on the fixed user: %+v %v, want a no-op", p2, err)
		}
	})

	t.Run("no age params: all but the newest active key", func(t *testing.T) {
		ok(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dave")}))(t)
		old := newKey("dave")
		time.Sleep(1100 * time.Millisecond) // IAM creation times have one-second resolution
		fresh := newKey("dave")
		a := read("dave")
		if passes(t, "iam-user-single-active-key", nil, a) {
			t.Fatal("fixture: dave should have two active keys")
		}
		tg := e.target(a, nil)
		p := mustPlan(t, act, tg)
		mustApply(t, act, tg, p)
		if got := keyStatuses(t, e, "dave"); !strings.Contains(got, old+" Inactive") || !strings.Contains(got, fresh+" Active") {
			t.Errorf("after the fix %s, want %s kept active", got, fresh)
		}
		if !passes(t, "iam-user-single-active-key", nil, read("dave")) {
			t.Error("dave still has two active keys")
		}
	})
}

func TestIAMSetPasswordPolicy(t *testing.T) {
	e := newEnv(t)
	act := NewIAMSetPasswordPolicy()
	readAcct := func() *asset.Asset { return e.collect(t, scanner.NewAccount(), region, asset.AccountID(motoAccount)) }
	a := readAcct()
	if passes(t, "iam-password-policy", nil, a) {
		t.Fatal("fixture: no password policy should fail")
	}
	tg := e.target(a, nil)
	p := mustPlan(t, act, tg)
	same(t, "password policy after plan", a.Attrs["password_policy"], readAcct().Attrs["password_policy"])

	e.aws(t, "iam", "update-account-password-policy", "--minimum-password-length", "8", "--require-numbers")
	wantDrift(t, act, tg, p, "password_policy")
	weak := readAcct()
	if attrOf(weak, "password_policy.minimum_length") != int64(8) {
		t.Fatalf("a refused apply changed the policy: %v", weak.Attrs["password_policy"])
	}

	p = mustPlan(t, act, tg)
	after := mustApply(t, act, tg, p)
	fixed := readAcct()
	if !passes(t, "iam-password-policy", nil, fixed) {
		t.Errorf("after the fix: %v", fixed.Attrs["password_policy"])
	}
	pp := fixed.Attrs["password_policy"].(map[string]any)
	for k, want := range map[string]any{"minimum_length": int64(14), "reuse_prevention": int64(24), "max_age_days": int64(90),
		"require_symbols": true, "require_numbers": true, "require_uppercase": true, "require_lowercase": true, "allow_users_to_change": true} {
		if pp[k] != want {
			t.Errorf("password_policy.%s = %v, want %v", k, pp[k], want)
		}
	}
	mustUndo(t, act, tg, record(p, after))
	same(t, "password policy after undo", weak.Attrs["password_policy"], readAcct().Attrs["password_policy"])

	e.aws(t, "iam", "delete-account-password-policy")
	p = mustPlan(t, act, tg)
	after = mustApply(t, act, tg, p)
	mustUndo(t, act, tg, record(p, after))
	same(t, "no password policy after undo", a.Attrs["password_policy"], readAcct().Attrs["password_policy"])
}
