package cycle

import (
	"errors"
	"fmt"
	"sort"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/snapshot"
)

// fileState is what a diff reads of one saved-scan file.
type fileState struct {
	side   DiffSide
	assets map[string]*asset.Asset
	vs     map[string]*rules.Violation
	trend  map[string]rules.TrendPoint // group -> newest point of the default domain
	groups []groups.Group
}

// readFileState verifies and reads a snapshot file whole.
func readFileState(path string) (*fileState, error) {
	f, err := snapshot.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fs := &fileState{side: DiffSide{File: path}, assets: map[string]*asset.Asset{},
		vs: map[string]*rules.Violation{}, trend: map[string]rules.TrendPoint{}}
	err = f.Read(snapshot.Visitor{
		Scan: func(sc *asset.Scan) error {
			if sc.Started.After(fs.side.Started) {
				fs.side.Scan, fs.side.Started, fs.side.Status = sc.ID, sc.Started, sc.Status
			}
			return nil
		},
		Asset:     func(a *asset.Asset) error { fs.assets[a.ID] = a; return nil },
		Violation: func(v *rules.Violation) error { fs.vs[v.ID] = v; return nil },
		Group:     func(g *groups.Group) error { fs.groups = append(fs.groups, *g); return nil },
		Trend: func(p *rules.TrendPoint) error {
			if p.Domain == rules.DefaultDomain && p.Day >= fs.trend[p.Group].Day {
				fs.trend[p.Group] = *p
			}
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	return fs, nil
}

// compliance is the file's newest overall score per group.
func (fs *fileState) compliance() db.ScanCompliance {
	out := db.ScanCompliance{}
	for g, p := range fs.trend {
		out[g] = map[string]db.GroupScore{rules.DefaultDomain: {Overall: p.Overall, Open: p.Open, Assets: p.Assets}}
	}
	return out
}

// DiffFiles compares two saved-scan files (older first) the way DiffScans
// compares two scans: each file's assets and violation statuses as they
// were saved. group confines it to a group the newer file defines (or a
// built-in one), judged on each file's own documents.
func DiffFiles(oldPath, newPath, group string) (*ScanDiff, error) {
	older, err := readFileState(oldPath)
	if err != nil {
		return nil, err
	}
	newer, err := readFileState(newPath)
	if err != nil {
		return nil, err
	}
	keep, err := fileGroupFilter(group, older, newer)
	if err != nil {
		return nil, err
	}
	var ids []string
	for id, b := range older.assets {
		if a, ok := newer.assets[id]; !ok || asset.HashDoc(a.Attrs, a.Tags, a.Name) != asset.HashDoc(b.Attrs, b.Tags, b.Name) {
			ids = append(ids, id)
		}
	}
	for id := range newer.assets {
		if _, ok := older.assets[id]; !ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	d := &ScanDiff{From: older.side, To: newer.side, Group: group, Violations: newViolationChanges()}
	d.Assets = diffAssets(ids, older.assets, newer.assets, keep)
	vids := map[string]bool{}
	for id := range older.vs {
		vids[id] = true
	}
	for id := range newer.vs {
		vids[id] = true
	}
	for id := range vids {
		b, a := older.vs[id], newer.vs[id]
		v, before, after := a, "", ""
		if b != nil {
			before = b.Status
		}
		if a != nil {
			after = a.Status
		} else {
			v = b
		}
		if keep != nil && !keep(v.AssetID) {
			continue
		}
		classify(&d.Violations, v, before, after)
	}
	sortViolationChanges(&d.Violations)
	d.Compliance = diffCompliance(older.compliance(), newer.compliance(), group)
	return d, nil
}

// errNoGroup is wrapped when a diff names a group neither file has.
var errNoGroup = errors.New("see `vigil groups list` for the names")

// fileGroupFilter keeps the assets of a group in either file.
func fileGroupFilter(name string, older, newer *fileState) (func(string) bool, error) {
	if name == "" || name == groups.All {
		return nil, nil
	}
	var g *groups.Group
	for _, fs := range []*fileState{newer, older} {
		for i := range fs.groups {
			if fs.groups[i].Name == name && g == nil {
				g = &fs.groups[i]
			}
		}
	}
	if g == nil {
		var accounts, regions []string
		for _, fs := range []*fileState{older, newer} {
			for _, a := range fs.assets {
				accounts, regions = append(accounts, a.Account), append(regions, a.Region)
			}
		}
		bg, ok := groups.Find(groups.Builtins(accounts, regions), name)
		if !ok {
			return nil, fmt.Errorf("no group named %q in either file: %w", name, errNoGroup)
		}
		g = &bg
	}
	m, err := groups.Compile(*g)
	if err != nil {
		return nil, fmt.Errorf("group %s: %w", name, err)
	}
	in := map[string]bool{}
	for _, fs := range []*fileState{older, newer} {
		for id, a := range fs.assets {
			if m.Match(a.Doc()) {
				in[id] = true
			}
		}
	}
	return func(id string) bool { return in[id] }, nil
}
