package snapshot

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// policyID is what a policy ID may look like; anything else is refused
// before it becomes a file name.
var policyID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// restoreBatch is how many assets Restore stores per write.
const restoreBatch = 4096

// Restore verifies f and then loads every record into st, an empty store
// (vigil open's private one), and writes the policies' YAML into
// policyDir (created 0700) when it is not empty. It returns the manifest.
func Restore(f *File, st *db.Store, policyDir string) (*Manifest, error) {
	m, err := f.Verify()
	if err != nil {
		return nil, err
	}
	if policyDir != "" {
		if err := os.MkdirAll(policyDir, 0o700); err != nil {
			return nil, fmt.Errorf("restore policies: %w", err)
		}
	}
	var batch []asset.Asset
	var vs []rules.Violation
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := st.PutAssets(batch)
		batch = batch[:0]
		return err
	}
	err = f.Read(Visitor{
		Scan: func(sc *asset.Scan) error { return st.PutScan(sc) },
		Policy: func(p *Policy) error {
			if policyDir == "" {
				return nil
			}
			if !policyID.MatchString(p.ID) {
				return fmt.Errorf("%s: %w (policy ID %q)", f.Name, ErrDamaged, asset.Clean(p.ID))
			}
			return os.WriteFile(filepath.Join(policyDir, p.ID+".yaml"), []byte(p.YAML), 0o600)
		},
		PolicyState: func(s *rules.PolicyState) error { return st.PutPolicyState(*s) },
		Group:       func(g *groups.Group) error { return st.PutGroup(*g) },
		Exception:   func(e *rules.Exception) error { return st.PutException(e) },
		Trend:       func(p *rules.TrendPoint) error { return st.PutTrendPoint(*p) },
		Asset: func(a *asset.Asset) error {
			batch = append(batch, *a)
			if len(batch) >= restoreBatch {
				return flush()
			}
			return nil
		},
		Violation: func(v *rules.Violation) error {
			vs = append(vs, *v)
			if len(vs) >= restoreBatch {
				err := st.PutViolations(vs)
				vs = vs[:0]
				return err
			}
			return nil
		},
	})
	if err == nil {
		err = flush()
	}
	if err == nil && len(vs) > 0 {
		err = st.PutViolations(vs)
	}
	if err != nil {
		return nil, fmt.Errorf("restore %s: %w", f.Name, err)
	}
	return m, nil
}
