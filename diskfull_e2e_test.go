package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/vigil-sec/vigil/internal/testmoto"
)

// mountTmpfs mounts a small tmpfs for the test, or skips saying why (it
// needs root, or CAP_SYS_ADMIN).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	return dir
}

// fillTo writes a file until the filesystem of dir has about left bytes free.
func fillTo(t *testing.T, dir string, left int64) string {
	t.Helper()
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		t.Fatal(err)
	}
	free := int64(fs.Bavail) * int64(fs.Bsize)
	p := filepath.Join(dir, "filler")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 1<<20)
	for n := free - left; n > 0; n -= int64(len(chunk)) {
		if n < int64(len(chunk)) {
			chunk = chunk[:n]
		}
		if _, err := f.Write(chunk); err != nil {
			t.Fatalf("fill the disk: %v", err)
		}
	}
	return p
}

// A disk that is full when the store closes: the scan says so and exits 1
// before its summary reads "complete", without a Go stack trace, and once
// space is freed the store opens with both scans in it.
func TestDiskFullAtCloseIsAnErrorBeforeComplete(t *testing.T) {
	mnt := mountTmpfs(t, "64m")
	srv := testmoto.Start(t)
	env := motoEnv(srv, "")
	srv.AWS(t, "ec2", "create-security-group", "--region", "us-east-1", "--group-name", "full-disk", "--description", "x")
	dbDir := filepath.Join(mnt, "db")
	scan := []string{"scan", "--regions", "us-east-1", "--types", "aws.ec2.security-group", "--db", dbDir}
	if r := vigil(t, env, scan...); r.code != 0 {
		t.Fatalf("first scan: exit %d: %s", r.code, r.stderr)
	}
	filler := fillTo(t, mnt, 4<<20)
	r := vigil(t, env, scan...)
	if r.code != 1 || !strings.Contains(r.stderr, "disk is full") {
		t.Errorf("scan on a full disk: exit %d, want 1 and a full-disk error:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "complete") {
		t.Errorf("a scan whose store could not close printed its summary:\n%s", r.stdout)
	}
	noStackTrace(t, "scan on a full disk", r.stderr)
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	var scans []struct{ ID, Status string }
	r = vigil(t, env, "scans", "--json", "--db", dbDir)
	if r.code != 0 {
		t.Fatalf("the store does not open after space was freed: exit %d: %s", r.code, r.stderr)
	}
	mustJSON(t, r.stdout, &scans)
	if len(scans) != 2 {
		t.Errorf("after space was freed the store has %d scans, want 2: %+v", len(scans), scans)
	}
	if r := vigil(t, env, "store", "check", "--db", dbDir); r.code != 0 {
		t.Errorf("store check after recovery: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
