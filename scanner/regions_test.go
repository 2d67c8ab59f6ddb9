package scanner

import (
	"context"
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/internal/testmoto"
)

func TestEnabledRegionsListsUsableRegions(t *testing.T) {
	srv := testmoto.Start(t)
	srv.Setenv(t)
	ctx := context.Background()
	cfg, err := LoadAWSConfig(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	regions, err := EnabledRegions(ctx, cfg)
	if err != nil {
		t.Fatalf("EnabledRegions: %v", err)
	}
	for _, want := range []string{"us-east-1", "eu-west-1", "ap-southeast-2"} {
		if !slices.Contains(regions, want) {
			t.Errorf("regions %v lack %s", regions, want)
		}
	}
	if !slices.IsSorted(regions) {
		t.Errorf("regions not sorted: %v", regions)
	}
}
