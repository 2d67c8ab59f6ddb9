package snapshot

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// ExportInput is what a snapshot holds besides the store's records: the
// policies that judged it and the groups in force (config and stored), and
// which assets to keep.
type ExportInput struct {
	Version  string          // the writing vigil's version
	Now      time.Time       // created-at stamp
	Group    string          // label of the exported group ("all" by default)
	Keep     map[string]bool // asset IDs to export; nil exports every asset
	Policies []Policy        // the policy files in force
	Groups   []groups.Group  // groups to carry (config and stored ones)
	Shard    string          // "I/N" when a sharded scan wrote it
}

// Export writes the store's current state to out as one snapshot and
// returns its manifest. Secrets never reach the store, so none reach the
// file. Assets are written unit by unit, one type in memory at a time.
func Export(st *db.Store, out io.Writer, in ExportInput) (*Manifest, error) {
	sums, err := st.AllSummaries()
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	m := &Manifest{Format: FormatVersion, VigilVersion: in.Version, SchemaVersion: db.SchemaVersion,
		CreatedAt: in.Now.UTC(), Group: in.Group, Shard: in.Shard, Counts: map[string]int{}}
	if m.Group == "" {
		m.Group = groups.All
	}
	accounts, regions, types := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i := range sums {
		s := &sums[i]
		if in.Keep != nil && !in.Keep[s.ID] {
			continue
		}
		accounts[s.Account], types[s.Type] = true, true
		if s.Region != "" {
			regions[s.Region] = true
		}
		m.Counts[s.Type]++
		m.Assets++
	}
	m.Accounts, m.Regions = sortedKeys(accounts), sortedKeys(regions)

	vs, err := st.Violations(db.ViolationFilter{})
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if in.Keep != nil {
		kept := vs[:0]
		for _, v := range vs {
			if in.Keep[v.AssetID] {
				kept = append(kept, v)
			}
		}
		vs = kept
	}
	scans, err := st.Scans(0)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	excs, err := st.Exceptions()
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	states, err := st.PolicyStates()
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	var trend []rules.TrendPoint
	err = st.AllTrendPoints(func(p rules.TrendPoint) error {
		if m.Group == groups.All || p.Group == m.Group {
			trend = append(trend, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	m.Violations, m.Scans, m.Exceptions, m.Groups = len(vs), len(scans), len(excs), len(in.Groups)
	m.Policies, m.Trend = len(in.Policies), len(trend)

	w, err := NewWriter(out, in.Version)
	if err != nil {
		return nil, err
	}
	if err := w.JSON(KindManifest, m); err != nil {
		return nil, err
	}
	for i := len(scans) - 1; i >= 0; i-- { // oldest first
		if err := w.JSON(KindScan, &scans[i]); err != nil {
			return nil, err
		}
	}
	for i := range in.Policies {
		if err := w.JSON(KindPolicy, &in.Policies[i]); err != nil {
			return nil, err
		}
	}
	for _, id := range sortedKeys(states) {
		s := states[id]
		if err := w.JSON(KindPolicyState, &s); err != nil {
			return nil, err
		}
	}
	for i := range in.Groups {
		if err := w.JSON(KindGroup, &in.Groups[i]); err != nil {
			return nil, err
		}
	}
	for i := range excs {
		if err := w.JSON(KindException, &excs[i]); err != nil {
			return nil, err
		}
	}
	for i := range trend {
		if err := w.JSON(KindTrend, &trend[i]); err != nil {
			return nil, err
		}
	}
	for _, t := range sortedKeys(types) {
		if err := writeType(st, w, t, in.Keep); err != nil {
			return nil, err
		}
	}
	for i := range vs {
		if err := w.JSON(KindViolation, &vs[i]); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return m, nil
}

// writeType writes one type's assets grouped by unit (units in key order,
// assets in ID order within a unit).
func writeType(st *db.Store, w *Writer, typ string, keep map[string]bool) error {
	byUnit := map[asset.UnitKey][][]byte{}
	var buf []byte
	err := st.AssetsOfType(typ, func(a *asset.Asset) error {
		if keep != nil && !keep[a.ID] {
			return nil
		}
		var err error
		if buf, err = db.EncodeDocument(buf[:0], a); err != nil {
			return err
		}
		u := UnitOf(a)
		byUnit[u] = append(byUnit[u], append([]byte(nil), buf...))
		return nil
	})
	if err != nil {
		return fmt.Errorf("export %s assets: %w", typ, err)
	}
	units := make([]asset.UnitKey, 0, len(byUnit))
	for u := range byUnit {
		units = append(units, u)
	}
	sort.Slice(units, func(i, j int) bool { return units[i].String() < units[j].String() })
	for _, u := range units {
		for _, doc := range byUnit[u] {
			if err := w.Raw(KindAsset, doc); err != nil {
				return err
			}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
