package scanner

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// The helpers below turn SDK values into attribute-document values
// (docs/ATTRIBUTES.md): strings never nil, integers int64, timestamps RFC3339
// in UTC or "", lists []any and never nil.

// str dereferences an SDK string, "" for nil.
func str(p *string) string { return aws.ToString(p) }

// i64 widens an SDK int32 pointer, 0 for nil.
func i64(p *int32) int64 { return int64(aws.ToInt32(p)) }

// flag dereferences an SDK bool, false for nil.
func flag(p *bool) bool { return aws.ToBool(p) }

// stamp renders a timestamp as RFC3339 UTC, "" for nil or zero.
func stamp(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// strs converts a string slice to a document list.
func strs(in []string) []any {
	out := make([]any, 0, len(in))
	for _, s := range in {
		out = append(out, s)
	}
	return out
}

// listOf converts any slice to a document list through f.
func listOf[T any](in []T, f func(T) any) []any {
	out := make([]any, 0, len(in))
	for _, v := range in {
		out = append(out, f(v))
	}
	return out
}

// ec2Tags converts EC2 tags to a map and returns the Name tag.
func ec2Tags(tags []ec2types.Tag) (map[string]string, string) {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[str(t.Key)] = str(t.Value)
	}
	return m, m["Name"]
}

// nameOr returns name when set, else the fallback (the natural ID).
func nameOr(name, fallback string) string {
	if name != "" {
		return name
	}
	return fallback
}

// ec2ARN builds the ARN of an EC2 resource ("instance", "vpc", ...).
func ec2ARN(s *Session, kind, id string) string {
	return "arn:" + partition(s.Region) + ":ec2:" + s.Region + ":" + s.Account + ":" + kind + "/" + id
}

// rdsARN builds the ARN of an RDS resource ("db", "snapshot").
func rdsARN(s *Session, kind, id string) string {
	return "arn:" + partition(s.Region) + ":rds:" + s.Region + ":" + s.Account + ":" + kind + ":" + id
}

// partition returns the ARN partition of a region.
func partition(region string) string {
	switch {
	case len(region) > 3 && region[:3] == "cn-":
		return "aws-cn"
	case len(region) > 7 && region[:7] == "us-gov-":
		return "aws-us-gov"
	}
	return "aws"
}

// nonNil returns an empty list for nil, so the document always has a list.
func nonNil(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}
