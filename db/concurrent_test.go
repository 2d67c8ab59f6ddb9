package db_test

import (
	"sync"
	"testing"

	"github.com/vigil-sec/vigil/asset"
)

// Units complete concurrently in a scan while the console reads: every
// writer's assets must land, and readers must never see a broken record.
func TestConcurrentUnitsAndReaders(t *testing.T) {
	s := memStore(t)
	regions := []string{"us-east-1", "us-west-2", "eu-west-1", "ap-south-1"}
	for _, r := range regions {
		mustPut(t, s, mkAssets("111111111111", r, asset.TypeVolume, 0, 300))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for _, r := range regions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The listing keeps half the volumes and adds 100 new ones.
			list := append(mkAssets("111111111111", r, asset.TypeVolume, 0, 150), mkAssets("111111111111", r, asset.TypeVolume, 1000, 100)...)
			gone, err := s.CompleteUnit(asset.UnitKey{Account: "111111111111", Region: r, Type: asset.TypeVolume}, list)
			if err != nil {
				errs <- err
				return
			}
			if len(gone) != 150 {
				t.Errorf("%s: deleted %d, want 150", r, len(gone))
			}
		}()
	}
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				sums, err := s.AllSummaries()
				if err != nil {
					errs <- err
					return
				}
				for _, sm := range sums {
					if sm.ID == "" || tag(sm.Tags, "Owner") != "team-a" {
						t.Errorf("torn summary: %+v", sm)
						return
					}
				}
				if _, err := s.CountAssets(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n, _ := s.CountAssets(); n != len(regions)*250 {
		t.Errorf("%d assets after the scan, want %d", n, len(regions)*250)
	}
}
