package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/scanner"
	"github.com/vigil-sec/vigil/snapshot"
)

// shardIndexEnv are the variables schedulers set to a job's index in an
// array of jobs: Kubernetes Indexed Jobs, then AWS Batch array jobs.
func shardIndexEnv() [2]string {
	return [2]string{"JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"}
}

// scanShard is the shard --shard or --shards asks for (zero: the whole scan).
func scanShard(f scanFlags, getenv func(string) string) (scanner.Shard, error) {
	switch {
	case f.shard != "" && f.shards != 0:
		return scanner.Shard{}, errors.New("give --shard I/N or --shards N, not both")
	case f.shard != "":
		return scanner.ParseShard(f.shard)
	case f.shards != 0:
		names := shardIndexEnv()
		for _, name := range names {
			if v := getenv(name); v != "" {
				sh, err := scanner.NewShard(v, strconv.Itoa(f.shards))
				if err != nil {
					return sh, fmt.Errorf("%s: %w", name, err)
				}
				return sh, nil
			}
		}
		return scanner.Shard{}, fmt.Errorf("--shards %d: neither %s nor %s is set; give --shard I/N", f.shards, names[0], names[1])
	}
	return scanner.Shard{}, nil
}

// exportDest names the snapshot a sharded scan writes: a trailing / gets
// shard-I-of-N.vgl (or scan.vgl unsharded), {shard} becomes I.
func exportDest(dest string, sh scanner.Shard) (string, error) {
	if dest == "" {
		return "", nil
	}
	if dest == "-" {
		return "", errors.New("--export -: give a file or s3://bucket/key (the scan's summary goes to stdout)")
	}
	if strings.HasSuffix(dest, "/") {
		name := "scan.vgl"
		if sh.Count > 1 {
			name = fmt.Sprintf("shard-%d-of-%d.vgl", sh.Index, sh.Count)
		}
		return dest + name, nil
	}
	return strings.ReplaceAll(dest, "{shard}", strconv.Itoa(sh.Index)), nil
}

// exportScan writes the cycle's store as a snapshot to dest, a file or an
// S3 object (uploaded through the SDK with the scan's credential and
// endpoint rules).
func exportScan(ctx context.Context, e *env, c *cycle.Cycle, dest string) error {
	in, err := exportInput(c, groups.All, e)
	if err != nil {
		return err
	}
	write := func(w io.Writer) (*snapshot.Manifest, error) { return snapshot.Export(c.Store, w, in) }
	loc, isS3, err := parseS3(dest)
	if err != nil {
		return err
	}
	if !isS3 {
		m, size, err := writeSnapshot(dest, e.stdout, write)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "exported %d assets, %d violations to %s (%d bytes)\n", m.Assets, m.Violations, displayName(dest), size)
		return nil
	}
	tmp, err := os.MkdirTemp("", "vigil-export-")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.RemoveAll(tmp)
	path := filepath.Join(tmp, "scan.vgl")
	m, size, err := writeSnapshot(path, e.stdout, write)
	if err != nil {
		return err
	}
	cl, err := s3Client(ctx)
	if err != nil {
		return err
	}
	if err := uploadObject(ctx, cl, loc, path); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "exported %d assets, %d violations to %s (%d bytes)\n", m.Assets, m.Violations, loc, size)
	return nil
}
