package asset

import (
	"strings"
	"testing"
)

func TestConsoleURLPerType(t *testing.T) {
	t.Parallel()
	cases := []struct{ typ, id, name, region, want string }{
		{TypeEC2Instance, "arn:aws:ec2:eu-west-1:111111111111:instance/i-0abc", "web", "eu-west-1",
			"https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#InstanceDetails:instanceId=i-0abc"},
		{TypeSecurityGroup, "arn:aws:ec2:us-east-1:111111111111:security-group/sg-0a1b", "default", "us-east-1",
			"https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#SecurityGroup:groupId=sg-0a1b"},
		{TypeS3Bucket, "arn:aws:s3:::logs-prod", "logs-prod", "eu-central-1",
			"https://s3.console.aws.amazon.com/s3/buckets/logs-prod?region=eu-central-1"},
		{TypeIAMUser, "arn:aws:iam::111111111111:user/alice", "alice", "global",
			"https://us-east-1.console.aws.amazon.com/iam/home#/users/details/alice"},
		{TypeRDSInstance, "arn:aws:rds:us-west-2:111111111111:db:orders", "orders", "us-west-2",
			"https://us-west-2.console.aws.amazon.com/rds/home?region=us-west-2#database:id=orders;is-cluster=false"},
		{TypeLambda, "arn:aws:lambda:us-east-1:111111111111:function:resize", "resize", "us-east-1",
			"https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/resize"},
		{TypeKMSKey, "arn:aws:kms:us-east-1:111111111111:key/1234-abcd", "", "us-east-1",
			"https://us-east-1.console.aws.amazon.com/kms/home?region=us-east-1#/kms/keys/1234-abcd"},
		{TypeVolume, "arn:aws:ec2:eu-west-1:1:volume/vol-9", "", "eu-west-1",
			"https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#VolumeDetails:volumeId=vol-9"},
		{TypeVulnFinding, "vuln:CVE-2024-1@x", "", "us-east-1", ""},
	}
	for _, c := range cases {
		if got := ConsoleURL(c.typ, c.id, c.name, c.region); got != c.want {
			t.Errorf("%s: %q\n want %q", c.typ, got, c.want)
		}
	}
}

func TestConsoleURLEscapesUntrustedNames(t *testing.T) {
	t.Parallel()
	u := ConsoleURL(TypeIAMUser, "arn:aws:iam::1:user/x", "a b#\x1b[31m", "global")
	if strings.ContainsAny(u, " \x1b") || strings.Count(u, "#") != 1 {
		t.Fatalf("name not escaped: %q", u)
	}
}
