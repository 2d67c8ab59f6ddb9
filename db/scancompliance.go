package db

import (
	"errors"
	"fmt"

	"github.com/vigil-sec/vigil/asset"
)

// pfxScanScore holds the compliance each scan left per group: scan ID ->
// ScanCompliance JSON. Scan diffs compare two of them.
const pfxScanScore = "h/c/"

// GroupScore is one group's compliance in one domain after a scan.
type GroupScore struct {
	Overall int `json:"overall"`
	Open    int `json:"open"`
	Assets  int `json:"assets"`
}

// ScanCompliance is what a scan's evaluation scored: group -> domain -> score.
type ScanCompliance map[string]map[string]GroupScore

// PutScanCompliance records the compliance scan id left.
func (s *Store) PutScanCompliance(id string, c ScanCompliance) error {
	if err := s.putJSON(key(pfxScanScore, id), c); err != nil {
		return fmt.Errorf("record compliance of scan %s: %w", asset.Clean(id), err)
	}
	return nil
}

// ScanComplianceOf reads the compliance scan id left; nil (no error) when
// none was recorded (a scan from before vigil kept it, or one that failed).
func (s *Store) ScanComplianceOf(id string) (ScanCompliance, error) {
	var c ScanCompliance
	err := s.getJSON(key(pfxScanScore, id), &c)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("compliance of scan %s: %w", asset.Clean(id), err)
	}
	return c, nil
}
