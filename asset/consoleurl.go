package asset

import (
	"net/url"
	"strings"
)

// ConsoleURL is the AWS console page of a resource, from its type, ID
// (ARN), name and region; "" when the type has no console page (plugin and
// finding data). The console shows the page of whatever account the
// browser is signed in to, so callers name the account beside the URL.
// Every part taken from the resource is escaped.
func ConsoleURL(typ, id, name, region string) string {
	if region == "" || region == "global" {
		region = "us-east-1"
	}
	rid := resourceID(id)
	q, p := url.QueryEscape, url.PathEscape
	home := func(svc, frag string) string {
		return "https://" + region + ".console.aws.amazon.com/" + svc + "/home?region=" + region + "#" + frag
	}
	switch typ {
	case TypeEC2Instance:
		return home("ec2", "InstanceDetails:instanceId="+q(rid))
	case TypeSecurityGroup:
		return home("ec2", "SecurityGroup:groupId="+q(rid))
	case TypeVolume:
		return home("ec2", "VolumeDetails:volumeId="+q(rid))
	case TypeSnapshot:
		return home("ec2", "SnapshotDetails:snapshotId="+q(rid))
	case TypeEIP:
		return home("ec2", "ElasticIpDetails:AllocationId="+q(rid))
	case TypeLoadBalancer:
		return home("ec2", "LoadBalancer:loadBalancerArn="+q(id))
	case TypeNetworkACL:
		return home("vpcconsole", "NetworkAclDetails:networkAclId="+q(rid))
	case TypeVPC:
		return home("vpcconsole", "VpcDetails:VpcId="+q(rid))
	case TypeS3Bucket:
		return "https://s3.console.aws.amazon.com/s3/buckets/" + p(nameOr(name, rid)) + "?region=" + region
	case TypeIAMUser:
		return "https://us-east-1.console.aws.amazon.com/iam/home#/users/details/" + p(nameOr(name, rid))
	case TypeIAMRole:
		return "https://us-east-1.console.aws.amazon.com/iam/home#/roles/details/" + p(nameOr(name, rid))
	case TypeIAMPolicy:
		return "https://us-east-1.console.aws.amazon.com/iam/home#/policies/details/" + q(id)
	case TypeAccount:
		return "https://us-east-1.console.aws.amazon.com/iam/home#/account_settings"
	case TypeRDSInstance:
		return home("rds", "database:id="+q(rid)+";is-cluster=false")
	case TypeRDSSnapshot:
		return home("rds", "db-snapshot:id="+q(rid))
	case TypeLambda:
		return home("lambda", "/functions/"+p(rid))
	case TypeKMSKey:
		return home("kms", "/kms/keys/"+p(rid))
	case TypeTrail:
		return home("cloudtrailv2", "/trails/"+q(id))
	case TypeEFSFileSystem:
		return home("efs", "/file-systems/"+p(rid))
	case TypeMetricFilter:
		return home("cloudwatch", "logsV2:log-groups")
	}
	return ""
}

// resourceID is the tail of an ARN that names the resource: after the last
// "/" (instance/i-0a1b), else after the last ":" (function:name).
func resourceID(arn string) string {
	if i := strings.LastIndex(arn, "/"); i >= 0 {
		return arn[i+1:]
	}
	if i := strings.LastIndex(arn, ":"); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

func nameOr(name, fallback string) string {
	if name != "" {
		return name
	}
	return fallback
}
