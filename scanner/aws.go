package scanner

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
)

// ErrNoCredentials is returned (wrapped) when the SDK's default chain finds
// no AWS credentials at all.
var ErrNoCredentials = errors.New("no AWS credentials found: set AWS_PROFILE (or run aws sso login), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")

// DefaultRegion is the region used when neither the profile nor the
// environment names one; global units are also served from it.
const DefaultRegion = "us-east-1"

// Retry settings: a scan makes thousands of read-only calls, so it waits out
// throttling and transient faults rather than losing a unit.
const (
	retryMaxAttempts = 10
	retryMaxBackoff  = 5 * time.Second
)

// LoadAWSConfig loads the SDK's default credential chain (environment,
// shared config and SSO, profile when given), with NewRetryer's retries and
// region defaulting to us-east-1. AWS_ENDPOINT_URL is honoured by the SDK.
func LoadAWSConfig(ctx context.Context, profile string) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(NewRetryer),
		// The SDK's own warnings go to stderr by default, which is the
		// terminal the console draws on; vigil reports failures itself.
		config.WithLogger(logging.Nop{}),
	}
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS config (profile %q): %w", profile, err)
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	return cfg, nil
}

// NewRetryer returns the retryer every scanner client uses: the SDK's
// standard mode (exponential backoff with full jitter, capped at 5 s), up to
// 10 attempts, retrying throttles, 5xx answers and connections reset or
// dropped before an answer (the SDK's defaults cover those kinds).
//
// Pacing is the scan's request budget's job (internal/awsapi): it is shared
// by every client of the scan and lowers a throttled service's limit in that
// account. So the SDK's retry quota is off (ratelimit.None): a burst of
// throttles across a scan's thousands of calls would exhaust it and fail
// units that a slower pace — which the budget already applies — would have
// completed. Adaptive mode is not used either: its token bucket is per
// client, and units build new clients, so it neither shares what it learns
// nor bounds requests in flight.
func NewRetryer() aws.Retryer { return newRetryer(retryMaxBackoff) }

// newRetryer is NewRetryer with another ceiling on the wait between
// attempts (tests shorten it; what is retried stays the same).
func newRetryer(maxBackoff time.Duration) aws.Retryer {
	return retry.NewStandard(func(so *retry.StandardOptions) {
		so.MaxAttempts = retryMaxAttempts
		so.MaxBackoff = maxBackoff
		so.RateLimiter = ratelimit.None
	})
}

// CallerAccount returns the account ID of cfg's credentials (STS
// GetCallerIdentity). Missing credentials give an error wrapping
// ErrNoCredentials.
func CallerAccount(ctx context.Context, cfg aws.Config) (string, error) {
	if cfg.Credentials == nil {
		return "", ErrNoCredentials
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		// The default chain ends with the EC2 instance role: when that is
		// what failed, nothing was configured at all.
		if ctx.Err() == nil && aws.IsCredentialsProvider(cfg.Credentials, (*ec2rolecreds.Provider)(nil)) {
			return "", ErrNoCredentials
		}
		return "", fmt.Errorf("read AWS credentials: %w", err)
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", fmt.Errorf("identify AWS account (sts GetCallerIdentity): %w", err)
	}
	return aws.ToString(out.Account), nil
}
