package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	cfgtypes "github.com/aws/aws-sdk-go-v2/service/configservice/types"

	"github.com/vigil-sec/vigil/asset"
)

// ConfigRecorders collects the AWS Config configuration recorders of a
// region (aws.config.recorder). A region without any recorder yields one
// placeholder asset with exists false, so "Config is on in every region"
// (CIS 3.3) has something to fail on, as Prowler reports per region.
type ConfigRecorders struct{}

// NewConfigRecorders returns the aws.config.recorder collector.
func NewConfigRecorders() *ConfigRecorders { return &ConfigRecorders{} }

// Type returns aws.config.recorder.
func (*ConfigRecorders) Type() string { return asset.TypeConfigRecorder }

// Global reports false: recorders are regional.
func (*ConfigRecorders) Global() bool { return false }

// Collect reads the region's recorders and their status (two calls per
// region, neither paged: a region has at most one customer recorder).
func (*ConfigRecorders) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.ConfigService()
	recs, err := client.DescribeConfigurationRecorders(ctx, &configservice.DescribeConfigurationRecordersInput{})
	if err != nil {
		return nil, fmt.Errorf("config describe configuration recorders: %w", err)
	}
	if len(recs.ConfigurationRecorders) == 0 {
		return []asset.Asset{regionPlaceholder(s, asset.TypeConfigRecorder, "config", "config-recorder", map[string]any{
			"recorder_name": "", "recording": false, "last_status": "", "last_error_code": "",
			"all_supported": false, "include_global_resource_types": false, "recording_strategy": "", "role_arn": "",
		})}, nil
	}
	sts, err := client.DescribeConfigurationRecorderStatus(ctx, &configservice.DescribeConfigurationRecorderStatusInput{})
	if err != nil {
		return nil, fmt.Errorf("config describe configuration recorder status: %w", err)
	}
	status := map[string]cfgtypes.ConfigurationRecorderStatus{}
	for _, st := range sts.ConfigurationRecordersStatus {
		status[aws.ToString(st.Name)] = st
	}
	out := make([]asset.Asset, 0, len(recs.ConfigurationRecorders))
	for _, r := range recs.ConfigurationRecorders {
		name := aws.ToString(r.Name)
		st := status[name]
		arn := aws.ToString(r.Arn)
		if arn == "" {
			arn = regionalARN(s, "config", "config-recorder/"+name)
		}
		attrs := map[string]any{
			"exists":                        true,
			"recorder_name":                 name,
			"recording":                     st.Recording,
			"last_status":                   string(st.LastStatus),
			"last_error_code":               aws.ToString(st.LastErrorCode),
			"all_supported":                 false,
			"include_global_resource_types": false,
			"recording_strategy":            "",
			"role_arn":                      aws.ToString(r.RoleARN),
		}
		if g := r.RecordingGroup; g != nil {
			attrs["all_supported"] = g.AllSupported
			attrs["include_global_resource_types"] = g.IncludeGlobalResourceTypes
			if g.RecordingStrategy != nil {
				attrs["recording_strategy"] = string(g.RecordingStrategy.UseOnly)
			}
		}
		out = append(out, docsAsset(s, asset.TypeConfigRecorder, arn, name, s.Region, nil, attrs))
	}
	return out, nil
}

// regionalARN builds arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.
func regionalARN(s *Session, service, resource string) string {
	return "arn:" + partition(s.Region) + ":" + service + ":" + s.Region + ":" + s.Account + ":" + resource
}

// regionPlaceholder is the asset that stands for "this region has none" of
// a per-region service (recorder, detector, analyzer): ID
// arn:...:SERVICE:REGION:ACCOUNT:KIND/none, named after the region, with
// exists false and the given zero attributes.
func regionPlaceholder(s *Session, typ, service, kind string, zero map[string]any) asset.Asset {
	zero["exists"] = false
	return docsAsset(s, typ, regionalARN(s, service, kind+"/none"), s.Region, s.Region, nil, zero)
}
