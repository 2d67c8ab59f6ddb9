package serve

import (
	"fmt"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/groups"
)

// Warm loads what every console's first frame reads — the shared
// summaries and the dashboard numbers of group all — before the first
// user connects, so that user does not wait for them. It returns how long
// it took. The store's file pages the loads mapped in are released after.
func (s *Server) Warm() (time.Duration, error) {
	start := time.Now()
	b := cycle.NewBackend(s.o.Cycle, nil, asset.Actor{Name: "vigil serve", Role: asset.RoleViewer, Via: asset.ViaSchedule}, true)
	if _, err := b.DashStats(groups.All, ""); err != nil {
		return 0, fmt.Errorf("warm the dashboard: %w", err)
	}
	if _, err := b.Summaries(groups.All); err != nil {
		return 0, fmt.Errorf("warm the summaries: %w", err)
	}
	// Reading every summary left the store's file pages resident (1.3 GiB
	// at 1M assets); they come back from the page cache when read again.
	if _, err := s.o.Cycle.Store.ReleaseMappedPages(); err != nil {
		s.o.Logger.Printf("serve: release store pages: %v", err)
	}
	return time.Since(start), nil
}
