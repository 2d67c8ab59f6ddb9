package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/snapshot"
)

// localSnapshot is one snapshot to import: where it is on disk and the
// name errors give it (the file, or the S3 object it came from).
type localSnapshot struct{ path, name string }

func newImportCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE|DIR|s3://bucket/prefix/ ...",
		Short: "Merge snapshots into the store, then judge and track violations as after a scan",
		Long: "Per (account, region, type) unit: a unit the snapshot completed replaces what the store\n" +
			"knew of it unless the store holds a newer scan of it; a unit that failed changes nothing.\n" +
			"Every file is verified first: a damaged, truncated or foreign one writes nothing. The\n" +
			"import works on a copy of the store swapped in at the end, so a kill leaves the store as it was.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runImport(cmd.Context(), e, args) },
	}
}

func runImport(ctx context.Context, e *env, args []string) error {
	if e.readOnly {
		return &exitError{code: exitUsage, err: errors.New("import writes to the store; drop --read-only")}
	}
	tmp, err := os.MkdirTemp("", "vigil-import-")
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer os.RemoveAll(tmp)
	snaps, err := gatherSnapshots(ctx, args, tmp)
	if err != nil {
		return &exitError{code: exitFailed, err: err}
	}
	files := make([]*snapshot.File, 0, len(snaps))
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	for _, s := range snaps {
		f, err := verifySnapshot(s)
		if err != nil {
			return &exitError{code: exitFailed, err: fmt.Errorf("%w; nothing was imported", err)}
		}
		files = append(files, f)
	}
	if e.owner != nil {
		// Inside the process that holds the store (forwarded through its
		// socket): import into its cycle, one scan per snapshot, as the
		// forwarding user. A kill then is a kill during a scan: the next
		// open finishes or rolls back that scan (no staged copy).
		a := e.actor()
		if err := e.owner.Authorize(a, asset.ActImport, "import", ""); err != nil {
			return err
		}
		if err := importAll(ctx, e.stdout, e.owner, files, a.Name); err != nil {
			return &exitError{code: exitFailed, err: err}
		}
		return nil
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	stage, err := db.NewStage(e.paths().DB)
	if err != nil {
		return &exitError{code: exitFailed, err: err}
	}
	committed := false
	defer func() {
		if !committed {
			_ = stage.Abort()
		}
	}()
	st, err := db.Open(stage.Path, db.Options{})
	if err != nil {
		return &exitError{code: exitFailed, err: err}
	}
	logger, closeLog := e.logger()
	defer closeLog()
	c, loadErrs, err := cycle.New(st, cfg, cycle.Deps{Now: e.now, Log: logger, PolicyDirs: e.policyDirs()})
	if err != nil {
		st.Close()
		return err
	}
	printPolicyErrors(e.stderr, loadErrs)
	if err := importAll(ctx, e.stdout, c, files, who()); err != nil {
		st.Close()
		return &exitError{code: exitFailed, err: fmt.Errorf("%w; the store is unchanged", err)}
	}
	if err := st.Close(); err != nil {
		return &exitError{code: exitFailed, err: fmt.Errorf("%w; the store is unchanged", err)}
	}
	if err := stage.Commit(); err != nil {
		return &exitError{code: exitFailed, err: err}
	}
	committed = true
	return nil
}

// importAll plans and applies each snapshot, oldest first.
func importAll(ctx context.Context, w io.Writer, c *cycle.Cycle, files []*snapshot.File, by string) error {
	plans := make([]*cycle.ImportPlan, 0, len(files))
	for _, f := range files {
		p, err := c.PlanImport(f)
		if err != nil {
			return err
		}
		plans = append(plans, p)
	}
	sort.SliceStable(plans, func(i, j int) bool { return plans[i].AsOf.Before(plans[j].AsOf) })
	for _, p := range plans {
		res, err := c.Import(ctx, p, by, nil)
		if err != nil {
			return fmt.Errorf("import %s: %w", p.File, err)
		}
		fmt.Fprintf(w, "%s: %d units replaced, %d kept (the store has a newer scan), %d failed in the snapshot; "+
			"violations: %d opened, %d closed, %d exempt\n", p.File, len(p.Replace), len(p.Newer), len(p.Failed),
			res.Opened, res.Closed, res.Exempted)
	}
	return nil
}

// verifySnapshot opens and fully checks one snapshot.
func verifySnapshot(s localSnapshot) (*snapshot.File, error) {
	f, err := snapshot.OpenFile(s.path)
	if err != nil {
		return nil, renameErr(err, s)
	}
	f.Name = s.name
	if _, err := f.Verify(); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// renameErr puts the snapshot's own name (an S3 object) in an error that
// names the local copy.
func renameErr(err error, s localSnapshot) error {
	if s.path == s.name {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), s.path, s.name))
}

// gatherSnapshots expands the arguments: files as they are, every regular
// file of a directory, every object under an S3 prefix (downloaded to tmp).
func gatherSnapshots(ctx context.Context, args []string, tmp string) ([]localSnapshot, error) {
	var out []localSnapshot
	for _, a := range args {
		loc, isS3, err := parseS3(a)
		if err != nil {
			return nil, err
		}
		if isS3 {
			cl, err := s3Client(ctx)
			if err != nil {
				return nil, err
			}
			got, err := fetchS3(ctx, cl, loc, tmp)
			if err != nil {
				return nil, err
			}
			out = append(out, got...)
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		if !st.IsDir() {
			out = append(out, localSnapshot{path: a, name: a})
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		n := 0
		for _, en := range entries {
			if en.Type().IsRegular() && !strings.HasPrefix(en.Name(), ".") {
				p := filepath.Join(a, en.Name())
				out = append(out, localSnapshot{path: p, name: p})
				n++
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("import: directory %s holds no snapshot files", asset.Clean(a))
		}
	}
	return out, nil
}
