package main

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/snapshot"
)

func newExportCmd(e *env) *cobra.Command {
	var group string
	cmd := &cobra.Command{
		Use:   "export FILE|-",
		Short: "Write the store's state as one portable snapshot file (.vgl; - for stdout)",
		Long: "Writes every asset's full document, violations with their history, exceptions, groups,\n" +
			"scan records, trends and the policies' YAML as one zstd-compressed file with a checksum.\n" +
			"Review it with `vigil open FILE`, merge it with `vigil import FILE`.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, done, err := e.openCycle(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer done()
			in, err := exportInput(c, group, e)
			if err != nil {
				return err
			}
			m, size, err := writeSnapshot(args[0], e.stdout, func(w io.Writer) (*snapshot.Manifest, error) {
				return snapshot.Export(c.Store, w, in)
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "exported %d assets, %d violations, %d scans (group %s) to %s (%d bytes)\n",
				m.Assets, m.Violations, m.Scans, m.Group, displayName(args[0]), size)
			return nil
		},
	}
	cmd.Flags().StringVar(&group, "group", groups.All, "export only this group's assets and violations")
	return cmd
}

// exportInput gathers what a snapshot carries besides the store: the
// policies in force (their YAML), the groups, the kept assets.
func exportInput(c *cycle.Cycle, group string, e *env) (snapshot.ExportInput, error) {
	in := snapshot.ExportInput{Version: vigilVersion(), Now: e.now(), Group: group}
	ps, _, err := c.Policies()
	if err != nil {
		return in, err
	}
	for _, p := range ps {
		y, err := policyYAML(p)
		if err != nil {
			return in, err
		}
		in.Policies = append(in.Policies, snapshot.Policy{ID: p.ID, File: filepath.Base(p.File), Builtin: p.Builtin, YAML: y})
	}
	in.Groups = append(in.Groups, c.Config.Groups...)
	stored, err := c.Store.Groups()
	if err != nil {
		return in, err
	}
	in.Groups = append(in.Groups, stored...)
	if group != groups.All {
		sums, err := e.cycleBackend(c).Summaries(group)
		if err != nil {
			return in, &exitError{code: exitUsage, err: fmt.Errorf("export --group: %w (see `vigil groups list`)", err)}
		}
		in.Keep = make(map[string]bool, len(sums))
		for i := range sums {
			in.Keep[sums[i].ID] = true
		}
	}
	return in, nil
}

// policyYAML reads the file a policy was loaded from.
func policyYAML(p *rules.Policy) (string, error) {
	var raw []byte
	var err error
	if p.Builtin {
		raw, err = fs.ReadFile(rules.BuiltinFS(), p.File)
	} else {
		raw, err = os.ReadFile(p.File)
	}
	if err != nil {
		return "", fmt.Errorf("read policy %s for the snapshot: %w", p.ID, err)
	}
	return string(raw), nil
}

// writeSnapshot writes through write to stdout ("-") or to path: a
// temporary file beside it, synced and renamed, so a failed export leaves
// no half file under the name.
func writeSnapshot(path string, stdout io.Writer, write func(io.Writer) (*snapshot.Manifest, error)) (*snapshot.Manifest, int64, error) {
	if path == "-" {
		cw := &countWriter{w: stdout}
		bw := bufio.NewWriterSize(cw, 1<<20)
		m, err := write(bw)
		if err == nil {
			err = bw.Flush()
		}
		return m, cw.n, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, 0, fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	cw := &countWriter{w: tmp}
	bw := bufio.NewWriterSize(cw, 1<<20)
	m, err := write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("export to %s: %w", path, err)
	}
	return m, cw.n, nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func displayName(path string) string {
	if path == "-" {
		return "stdout"
	}
	return path
}

// vigilVersion is this build's version: the module version, with the VCS
// revision when the binary carries one.
func vigilVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += "+" + s.Value[:12]
		}
	}
	return v
}
