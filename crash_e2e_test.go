package main

import (
	"bufio"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/internal/testmoto"
	"github.com/vigil-sec/vigil/internal/testproxy"
)

// kill -9 in the middle of a scan leaves a store that opens, with the
// previous complete scan and its assets intact.
func TestKillNineMidScanLeavesStoreConsistent(t *testing.T) {
	srv := testmoto.Start(t)
	for i := 0; i < 3; i++ {
		srv.AWS(t, "ec2", "create-security-group", "--region", "us-east-1", "--group-name", "g"+string(rune('a'+i)), "--description", "x")
		srv.AWS(t, "s3api", "create-bucket", "--bucket", "crash-test-"+string(rune('a'+i)))
	}
	dbDir := filepath.Join(t.TempDir(), "db")
	env := motoEnv(srv, "")
	if r := vigil(t, env, "scan", "--regions", "us-east-1,eu-west-1", "--db", dbDir); r.code != 0 {
		t.Fatalf("first scan: exit %d: %s", r.code, r.stderr)
	}
	before := storeState(t, dbDir)

	slow := testproxy.Start(t, srv.URL, testproxy.Options{Latency: 150 * time.Millisecond})
	cmd := exec.Command(vigilBin, "scan", "--regions", "us-east-1,eu-west-1", "--concurrency", "2", "--db", dbDir)
	cmd.Env = baseEnv(t, motoEnv(srv, slow.URL))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	seen := 0
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "[") && strings.Contains(lines.Text(), "complete") {
			seen++
		}
		if seen == 3 {
			break
		}
	}
	if seen < 3 {
		t.Fatalf("the second scan finished before it could be killed (saw %d units)", seen)
	}
	// While the scan holds the store, another vigil is told who holds it.
	busy := vigil(t, env, "assets", "--db", dbDir)
	if busy.code == 0 || !strings.Contains(busy.stderr, "in use by another vigil") || !strings.Contains(busy.stderr, fmt.Sprint(cmd.Process.Pid)) {
		t.Errorf("a second vigil on a busy store: exit %d, %q; want an error naming pid %d", busy.code, busy.stderr, cmd.Process.Pid)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	st, err := db.Open(dbDir, db.Options{})
	if err != nil {
		t.Fatalf("store does not open after kill -9: %v", err)
	}
	scans, err := st.Scans(0)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if len(scans) != 2 {
		t.Fatalf("want 2 scan records, got %d", len(scans))
	}
	if scans[0].Status != asset.ScanAborted {
		t.Errorf("the killed scan is %q, want aborted", scans[0].Status)
	}
	if scans[1].ID != before.scan.ID || scans[1].Status != asset.ScanComplete || len(scans[1].Units) != len(before.scan.Units) {
		t.Errorf("the previous complete scan changed: %+v", scans[1])
	}
	after := storeState(t, dbDir)
	for id := range before.assets {
		if !after.assets[id] {
			t.Errorf("asset %s of the complete scan is gone after the crash", id)
		}
	}
	if r := vigil(t, env, "assets", "--json", "--db", dbDir); r.code != 0 {
		t.Errorf("vigil assets after the crash: exit %d: %s", r.code, r.stderr)
	}
}

type state struct {
	scan   asset.Scan
	assets map[string]bool
}

func storeState(t *testing.T, dir string) state {
	t.Helper()
	st, err := db.Open(dir, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sc, err := st.LastScan()
	if err != nil {
		t.Fatal(err)
	}
	s := state{scan: *sc, assets: map[string]bool{}}
	err = st.Summaries(func(x *asset.Summary) bool {
		if _, err := st.Asset(x.ID); err != nil {
			t.Errorf("summary %s has no document: %v", x.ID, err)
		}
		s.assets[x.ID] = true
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A copied store is reviewed with --read-only: reads work, writes refuse.
func TestReadOnlyReviewOfACopiedStore(t *testing.T) {
	home := t.TempDir()
	env := map[string]string{"XDG_DATA_HOME": filepath.Join(home, "data")}
	r := vigil(t, env, "demo")
	if r.code != 0 || !strings.Contains(r.stdout, "3000 assets") {
		t.Fatalf("vigil demo without a terminal: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	src := filepath.Join(home, "data", "vigil", "demo")
	dst := filepath.Join(t.TempDir(), "copy")
	if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("copy store: %v %s", err, out)
	}
	r = vigil(t, nil, "--read-only", "report", "--format", "json", "--db", dst)
	if r.code != 0 || !strings.Contains(r.stdout, `"compliance"`) {
		t.Errorf("report on a read-only copy: exit %d: %s", r.code, r.stderr)
	}
	r = vigil(t, nil, "--read-only", "exceptions", "add", "--sticky", "--type", "aws.s3.bucket", "--reason", "x", "--expires", "7d", "--db", dst)
	if r.code == 0 || !strings.Contains(r.stderr, "read-only") {
		t.Errorf("a write on a read-only copy: exit %d, %q; want a read-only refusal", r.code, r.stderr)
	}
	r = vigil(t, nil, "--read-only", "fix", "abc", "--db", dst)
	if r.code == 0 {
		t.Error("fix is available with --read-only")
	}
}
