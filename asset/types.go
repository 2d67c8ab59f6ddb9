package asset

// Asset types collected from AWS, as fixed by the architecture.
const (
	TypeEC2Instance   = "aws.ec2.instance"
	TypeSecurityGroup = "aws.ec2.security-group"
	TypeVolume        = "aws.ec2.volume"
	TypeSnapshot      = "aws.ec2.snapshot"
	TypeVPC           = "aws.ec2.vpc"
	TypeEIP           = "aws.ec2.eip"
	TypeS3Bucket      = "aws.s3.bucket"
	TypeIAMUser       = "aws.iam.user"
	TypeIAMRole       = "aws.iam.role"
	TypeIAMPolicy     = "aws.iam.policy"
	TypeRDSInstance   = "aws.rds.instance"
	TypeRDSSnapshot   = "aws.rds.snapshot"
	TypeLambda        = "aws.lambda.function"
	TypeKMSKey        = "aws.kms.key"
	TypeTrail         = "aws.cloudtrail.trail"
	TypeLoadBalancer  = "aws.elbv2.load-balancer"
	TypeAccount       = "aws.account"
	TypeMetricFilter  = "aws.logs.metric-filter"
	TypeNetworkACL    = "aws.ec2.network-acl"
	TypeEFSFileSystem = "aws.efs.file-system"
	TypeVulnFinding   = "vuln.finding"
	// Batch A of issue 13.
	TypeSQSQueue          = "aws.sqs.queue"
	TypeSNSTopic          = "aws.sns.topic"
	TypeDynamoDBTable     = "aws.dynamodb.table"
	TypeECRRepository     = "aws.ecr.repository"
	TypeSecret            = "aws.secretsmanager.secret"
	TypeEKSCluster        = "aws.eks.cluster"
	TypeECSTaskDefinition = "aws.ecs.task-definition"
	TypeAMI               = "aws.ec2.image"
	TypeServerCertificate = "aws.iam.server-certificate"
	TypeInstanceProfile   = "aws.iam.instance-profile"

	TypeConfigRecorder    = "aws.config.recorder"
	TypeSecurityHub       = "aws.securityhub.hub"
	TypeGuardDuty         = "aws.guardduty.detector"
	TypeAccessAnalyzer    = "aws.accessanalyzer.analyzer"
	TypeACMCertificate    = "aws.acm.certificate"
	TypeCloudFront        = "aws.cloudfront.distribution"
	TypeClassicELB        = "aws.elb.load-balancer"
	TypeRedshiftCluster   = "aws.redshift.cluster"
	TypeOpenSearchDomain  = "aws.opensearch.domain"
	TypeElastiCacheGroup  = "aws.elasticache.replication-group"
	TypeAPIGatewayRESTAPI = "aws.apigateway.rest-api"
	TypeRoute53Zone       = "aws.route53.hosted-zone"
)

// AWSTypes lists every AWS asset type in display order.
var AWSTypes = []string{
	TypeEC2Instance, TypeSecurityGroup, TypeVolume, TypeSnapshot, TypeVPC, TypeEIP,
	TypeS3Bucket, TypeIAMUser, TypeIAMRole, TypeIAMPolicy, TypeRDSInstance,
	TypeRDSSnapshot, TypeLambda, TypeKMSKey, TypeTrail, TypeLoadBalancer, TypeAccount,
	TypeMetricFilter, TypeNetworkACL, TypeEFSFileSystem,
	TypeSQSQueue, TypeSNSTopic, TypeDynamoDBTable, TypeECRRepository, TypeSecret,
	TypeEKSCluster, TypeECSTaskDefinition, TypeAMI, TypeServerCertificate, TypeInstanceProfile,
	TypeConfigRecorder, TypeSecurityHub, TypeGuardDuty, TypeAccessAnalyzer, TypeACMCertificate,
	TypeCloudFront, TypeClassicELB, TypeRedshiftCluster, TypeOpenSearchDomain, TypeElastiCacheGroup,
	TypeAPIGatewayRESTAPI, TypeRoute53Zone,
}

// GlobalTypes are listed once per account rather than once per region.
var GlobalTypes = map[string]bool{
	TypeS3Bucket: true, TypeIAMUser: true, TypeIAMRole: true, TypeIAMPolicy: true, TypeAccount: true,
	TypeServerCertificate: true, TypeInstanceProfile: true,
	TypeCloudFront: true, TypeRoute53Zone: true,
}

// AccountID returns the stable asset ID of an account's settings asset.
func AccountID(account string) string { return "aws:account:" + account }
