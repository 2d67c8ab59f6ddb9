package fix

// Default returns the registry of every fix action vigil has.
func Default() *Registry {
	return NewRegistry(
		NewS3BlockPublicAccess(),
		NewS3RemovePublicACL(),
		NewS3EnableEncryption(),
		NewS3EnableVersioning(),
		NewS3AccountBlockPublicAccess(),
		NewEC2RevokePublicIngress(),
		NewEC2RequireIMDSv2(),
		NewEC2SnapshotPrivate(),
		NewEC2EnableEBSDefaultEncryption(),
		NewEC2ReleaseEIP(),
		NewEC2DeleteUnattachedVolume(DefaultSnapshotWait),
		NewIAMDeactivateAccessKey(nil),
		NewIAMSetPasswordPolicy(),
		NewKMSEnableRotation(),
		NewRDSDisablePublicAccess(),
		NewCloudTrailEnableLogValidation(),
		NewSQSRemovePublicPolicyStatement(),
		NewECREnableScanOnPush(),
		NewDynamoDBEnablePITR(),
	)
}
