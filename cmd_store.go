package main

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
)

// newStoreCmd groups the commands that look after the store itself.
func newStoreCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "store",
		Short: "Look after the store directory (check it for damage)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newStoreCheckCmd(e, "check"))
	return cmd
}

// newDoctorCmd is `vigil store check` under the name operators try first.
func newDoctorCmd(e *env) *cobra.Command {
	cmd := newStoreCheckCmd(e, "doctor")
	cmd.Short += " (same as `vigil store check`)"
	return cmd
}

func newStoreCheckCmd(e *env, use string) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   use,
		Short: "Check the store without changing it: MANIFEST, tables, lock, schema, permissions",
		Long: "Looks at the store directory without opening it read-write and without changing\n" +
			"anything: whether its MANIFEST replays, whether every table it names is there and\n" +
			"readable, which vigil holds it, its schema version, whether a killed scan left work,\n" +
			"and whether its files are private (0600, directory 0700). Exit status 1 when\n" +
			"something is wrong; docs/STORE.md says how to recover.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := checkStore(e.paths().DB)
			if err != nil {
				return err
			}
			if asJSON {
				if err := printJSON(e, rep); err != nil {
					return err
				}
			} else {
				rep.print(e)
			}
			if len(rep.Problems) > 0 {
				return &exitError{code: exitFailed}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// storeReport is what `vigil store check` found.
type storeReport struct {
	Dir      string           `json:"dir"`
	Files    *db.DirCheck     `json:"files"`
	Lock     db.LockState     `json:"lock"`
	Perms    []db.PermProblem `json:"permissions"`
	Schema   int              `json:"schema,omitempty"`
	Contents string           `json:"contents"` // what a read-only look inside found
	Problems []string         `json:"problems"`
	Notes    []string         `json:"notes"`
}

// checkStore inspects dir; it opens the store read-only, and only when the
// files are sound and no vigil holds it.
func checkStore(dir string) (*storeReport, error) {
	chk, err := db.CheckDir(dir)
	if err != nil {
		return nil, err
	}
	if !chk.Exists {
		return nil, fmt.Errorf("no store at %s (give --db DIR, or set VIGIL_DB)", dir)
	}
	rep := &storeReport{Dir: dir, Files: chk, Problems: append([]string{}, chk.Problems...), Notes: []string{}}
	if rep.Lock, err = db.InspectLock(dir); err != nil {
		rep.Problems = append(rep.Problems, err.Error())
	}
	if rep.Perms, err = db.InspectPerms(dir); err != nil {
		rep.Problems = append(rep.Problems, err.Error())
	}
	for _, p := range rep.Perms {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s is %04o, want %04o (the next read-write open fixes it)",
			p.Name, p.Mode, p.Want))
	}
	switch {
	case len(chk.Problems) > 0:
		rep.Contents = "not read: the files are damaged"
	case rep.Lock.Held:
		rep.Contents = "not read: a vigil has the store open"
	case chk.Manifest == db.ManifestMissing:
		rep.Contents = "empty: a new store"
	default:
		rep.readContents()
	}
	return rep, nil
}

// readContents opens the store read-only for its schema and scan state.
func (r *storeReport) readContents() {
	st, err := db.Open(r.Dir, db.Options{ReadOnly: true})
	if err != nil {
		if strings.Contains(err.Error(), "not closed cleanly") {
			r.Contents = "not read: not closed cleanly"
			r.Notes = append(r.Notes, "the store was not closed cleanly (vigil was killed, or it was copied "+
				"while open); the next read-write open (any command without --read-only) recovers it")
			return
		}
		r.Contents = "not read"
		r.Problems = append(r.Problems, err.Error())
		return
	}
	defer st.Close()
	r.Contents = "read"
	if r.Schema, err = st.Schema(); err != nil {
		r.Problems = append(r.Problems, err.Error())
	} else if r.Schema > db.SchemaVersion {
		r.Problems = append(r.Problems, fmt.Sprintf("schema v%d is newer than this vigil understands (v%d): upgrade vigil",
			r.Schema, db.SchemaVersion))
	}
	if need, err := st.NeedsRecovery(); err != nil {
		r.Problems = append(r.Problems, err.Error())
	} else if need {
		r.Notes = append(r.Notes, "a killed scan left its evaluation unfinished; the next read-write open finishes it")
	}
	if sc, err := st.LastScan(); err == nil && sc.Status == asset.ScanRunning {
		r.Notes = append(r.Notes, fmt.Sprintf("scan %s reads as running but no vigil holds the store: it was killed; "+
			"the next read-write open marks it aborted", asset.Clean(sc.ID)))
	} else if err != nil && !errors.Is(err, db.ErrNotFound) {
		r.Problems = append(r.Problems, err.Error())
	}
}

func (r *storeReport) print(e *env) {
	c := r.Files
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "store\t%s\n", asset.Clean(r.Dir))
	mf := c.Manifest
	if c.ManifestProblem != "" {
		mf += ": " + asset.Clean(c.ManifestProblem)
	}
	if c.Manifest != db.ManifestMissing {
		mf += fmt.Sprintf(" (%d bytes, %d replay)", c.ManifestSize, c.ManifestValid)
	}
	fmt.Fprintf(tw, "MANIFEST\t%s\n", mf)
	bad, stray := 0, 0
	for _, t := range c.Tables {
		if t.Problem != "" {
			bad++
		}
		if !t.Referenced {
			stray++
		}
	}
	fmt.Fprintf(tw, "tables\t%d present, %d damaged, %d missing, %d not in the MANIFEST\n", len(c.Tables), bad, len(c.Missing), stray)
	for _, t := range c.Tables {
		if t.Problem != "" {
			fmt.Fprintf(tw, "\t  %s: %s\n", asset.Clean(t.Name), asset.Clean(t.Problem))
		}
	}
	fmt.Fprintf(tw, "value logs\t%d\n", len(c.ValueLogs))
	lock := "free"
	if r.Lock.Held {
		lock = "held by a running vigil"
		if r.Lock.Holder != "" {
			lock = "held by " + r.Lock.Holder
		}
	}
	fmt.Fprintf(tw, "lock\t%s\n", lock)
	fmt.Fprintf(tw, "contents\t%s\n", r.Contents)
	if r.Schema > 0 {
		fmt.Fprintf(tw, "schema\tv%d (this vigil: v%d)\n", r.Schema, db.SchemaVersion)
	}
	perms := "private (0700 directory, 0600 files)"
	if len(r.Perms) > 0 {
		perms = fmt.Sprintf("%d not private", len(r.Perms))
	}
	fmt.Fprintf(tw, "permissions\t%s\n", perms)
	tw.Flush()
	for _, n := range r.Notes {
		fmt.Fprintf(e.stdout, "note: %s\n", n)
	}
	if len(r.Problems) == 0 {
		fmt.Fprintln(e.stdout, "ok")
		return
	}
	fmt.Fprintf(e.stdout, "%d problems:\n", len(r.Problems))
	for _, p := range r.Problems {
		fmt.Fprintf(e.stdout, "  - %s\n", asset.Clean(p))
	}
	fmt.Fprintf(e.stdout, "Nothing was changed. Copy the directory away first (cp -a %s %s.bak); docs/STORE.md says how to recover.\n",
		asset.Clean(r.Dir), asset.Clean(r.Dir))
}
