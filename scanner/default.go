package scanner

// Default returns the registry of every AWS collector vigil has.
func Default() *Registry {
	return NewRegistry(
		NewInstances(), NewSecurityGroups(), NewVolumes(), NewSnapshots(), NewVPCs(), NewEIPs(),
		NewRDSInstances(), NewRDSSnapshots(), NewLoadBalancers(),
		NewS3Buckets(), NewIAMUsers(), NewIAMRoles(), NewIAMPolicies(), NewAccount(),
		NewLambdaFunctions(), NewKMSKeys(), NewTrails(),
		NewMetricFilters(), NewNetworkACLs(), NewFileSystems(),
		NewSQSQueues(), NewSNSTopics(), NewDynamoDBTables(), NewECRRepositories(), NewSecrets(),
		NewEKSClusters(), NewECSTaskDefinitions(), NewImages(), NewServerCertificates(), NewInstanceProfiles(),
		NewConfigRecorders(), NewSecurityHubs(), NewGuardDutyDetectors(), NewAccessAnalyzers(),
		NewACMCertificates(), NewCloudFrontDistributions(), NewClassicLoadBalancers(), NewRedshiftClusters(),
		NewOpenSearchDomains(), NewElastiCacheReplicationGroups(), NewRESTAPIs(), NewHostedZones(),
	)
}
