package omni_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/tui/omni"
)

// relQuery is one realistic query on the demo data and what a user who
// types it wants to see in the top five: the items rel says are relevant.
type relQuery struct {
	class, text string
	rel         func(w *world, it *omni.Item) bool
	// first, when set, is the ID the top hit must have.
	first string
}

// nameHas: assets whose name holds every word.
func nameHas(words ...string) func(*world, *omni.Item) bool {
	return func(_ *world, it *omni.Item) bool {
		if it.Kind != omni.KindAsset {
			return false
		}
		for _, w := range words {
			if !strings.Contains(lc(it.Title), w) {
				return false
			}
		}
		return true
	}
}

// typedNameHas: assets of type typ whose name holds every word.
func typedNameHas(typ string, words ...string) func(*world, *omni.Item) bool {
	f := nameHas(words...)
	return func(w *world, it *omni.Item) bool { return it.Type == typ && f(w, it) }
}

// tagIs: assets (or their violations) whose tag key has value v.
func tagIs(key, v string) func(*world, *omni.Item) bool {
	return func(w *world, it *omni.Item) bool { return it.Kind == omni.KindAsset && lc(w.tag(it, key)) == v }
}

// policies: the policies named and their violations.
func policies(ids ...string) func(*world, *omni.Item) bool {
	return func(_ *world, it *omni.Item) bool {
		p := policyOf(it)
		for _, id := range ids {
			if p == id {
				return true
			}
		}
		return false
	}
}

// idHas: items whose ID holds frag, and the violations whose message
// names it.
func idHas(frag string) func(*world, *omni.Item) bool {
	return func(_ *world, it *omni.Item) bool {
		return strings.Contains(lc(it.ID), frag) || (it.Kind == omni.KindViolation && strings.Contains(lc(it.Title), frag))
	}
}

// idFragment is a distinctive fragment of the first demo asset of type typ:
// the 8 characters after the resource ID's prefix.
func idFragment(t *testing.T, w *world, typ, after string) string {
	t.Helper()
	for _, it := range w.items {
		if it.Kind == omni.KindAsset && it.Type == typ {
			if k := strings.Index(it.ID, after); k >= 0 && len(it.ID) >= k+len(after)+8 {
				return lc(it.ID[k+len(after) : k+len(after)+8])
			}
		}
	}
	t.Fatalf("no %s asset with %q in its ID in the demo data", typ, after)
	return ""
}

func relevanceQueries(t *testing.T, w *world) []relQuery {
	inst := idFragment(t, w, asset.TypeEC2Instance, "instance/i-0")
	sg := idFragment(t, w, asset.TypeSecurityGroup, "security-group/sg-0")
	vol := idFragment(t, w, asset.TypeVolume, "volume/vol-0")
	snap := idFragment(t, w, asset.TypeSnapshot, "snapshot/snap-0")
	key := idFragment(t, w, asset.TypeKMSKey, "key/")
	return []relQuery{
		{class: "name", text: "payments prod bucket", rel: typedNameHas(asset.TypeS3Bucket, "payments", "prod")},
		{class: "name", text: "checkout api", rel: nameHas("checkout", "api")},
		{class: "name", text: "identity worker", rel: nameHas("identity", "worker")},
		{class: "name", text: "search ledger prod", rel: nameHas("search", "ledger", "prod")},
		{class: "name", text: "growth etl", rel: nameHas("growth", "etl")},
		{class: "name", text: "break-glass", rel: nameHas("break-glass")},
		{class: "name", text: "ci-deployer", rel: nameHas("ci-deployer")},
		{class: "name", text: "legacy ftp", rel: nameHas("legacy-ftp")},
		{class: "name", text: "prod vpc", rel: typedNameHas(asset.TypeVPC, "prod")},
		{class: "name", text: "sre notifier", rel: nameHas("sre", "notifier")},
		{class: "name", text: "mobile recommender", rel: nameHas("mobile", "recommender")},
		{class: "id", text: inst, rel: idHas(inst)},
		{class: "id", text: "i-0" + inst[:5], rel: idHas("i-0" + inst[:5])},
		{class: "id", text: sg, rel: idHas(sg)},
		{class: "id", text: "vol-0" + vol[:6], rel: idHas("vol-0" + vol[:6])},
		{class: "id", text: snap, rel: idHas(snap)},
		{class: "id", text: key, rel: idHas(key)},
		{class: "tag", text: "owner left", rel: func(w *world, it *omni.Item) bool {
			return it.Kind == omni.KindAsset && strings.Contains(w.tag(it, "Note"), "owner left")
		}},
		{class: "tag", text: "build box", rel: func(w *world, it *omni.Item) bool {
			return it.Kind == omni.KindAsset && strings.Contains(w.tag(it, "Description"), "build box")
		}},
		{class: "tag", text: "owner=payments", rel: tagIs("Owner", "payments@example.com")},
		{class: "tag", text: "team=sre", rel: tagIs("Team", "sre")},
		{class: "tag", text: "costcenter=cc-1296", rel: tagIs("CostCenter", "cc-1296")},
		{class: "tag", text: "dataclassification=restricted", rel: tagIs("DataClassification", "restricted")},
		{class: "tag", text: "managedby=terraform", rel: tagIs("ManagedBy", "terraform")},
		{class: "tag", text: "backup=daily", rel: tagIs("Backup", "daily")},
		{class: "tag", text: "environment=staging", rel: tagIs("Environment", "staging")},
		{class: "tag", text: "acme/growth-api", rel: tagIs("Repository", "github.com/acme/growth-api")},
		{class: "policy", text: "rotation", rel: policies("kms-key-rotation", "iam-access-key-rotation")},
		{class: "policy", text: "imdsv2", rel: policies("ec2-instance-imdsv2"), first: "ec2-instance-imdsv2"},
		{class: "policy", text: "public snapshot", rel: policies("ec2-snapshot-public", "rds-snapshot-public")},
		{class: "policy", text: "mfa", rel: policies("iam-root-mfa", "iam-user-mfa", "iam-root-hardware-mfa", "monitoring-console-login-no-mfa", "s3-bucket-mfa-delete")},
		{class: "policy", text: "flow logs", rel: policies("ec2-vpc-flow-logs")},
		{class: "policy", text: "deprecated runtime", rel: policies("lambda-deprecated-runtime")},
		{class: "policy", text: "password policy", rel: policies("iam-password-policy")},
		{class: "policy", text: "versioning", rel: policies("s3-bucket-versioning")},
		{class: "policy", text: "root access keys", rel: policies("iam-root-access-keys"), first: "iam-root-access-keys"},
		{class: "port", text: "sg 22 open", rel: policies("ec2-sg-open-ssh")},
		{class: "port", text: "ssh 22", rel: policies("ec2-sg-open-ssh")},
		{class: "port", text: "3389", rel: policies("ec2-sg-open-rdp")},
		{class: "port", text: "rdp (3389)", rel: policies("ec2-sg-open-rdp")},
		{class: "cis", text: "2.1.4", rel: frameworkHas("2.1.4")},
		{class: "cis", text: "cis 1.14", rel: frameworkHas("1.14")},
		{class: "cis", text: "cis-aws-3.0:3.6", rel: frameworkHas("3.6")},
		{class: "typo", text: "paymnts prod", rel: nameHas("payments", "prod")},
		{class: "typo", text: "chekout", rel: nameHas("checkout")},
		{class: "typo", text: "recomender", rel: nameHas("recommender")},
		{class: "typo", text: "idntity ingest", rel: nameHas("identity", "ingest")},
		{class: "typo", text: "rotaton", rel: policies("kms-key-rotation", "iam-access-key-rotation")},
		{class: "typo", text: "imdsv", rel: policies("ec2-instance-imdsv2")},
	}
}

// frameworkHas: the policies mapped to CIS control n.
func frameworkHas(n string) func(*world, *omni.Item) bool {
	return func(w *world, it *omni.Item) bool {
		if it.Kind != omni.KindPolicy {
			return false
		}
		for _, f := range w.pols[it.ID].Frameworks {
			if strings.HasSuffix(f, ":"+n) {
				return true
			}
		}
		return false
	}
}

// precision is the share of the top five (or of all relevant items, when
// fewer) that are relevant, and how many items are relevant in all.
func precision(w *world, q relQuery, top []int) (float64, int) {
	n := 0
	for i := range w.items {
		if q.rel(w, &w.items[i]) {
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	hit := 0
	for _, i := range top[:min(5, len(top))] {
		if q.rel(w, &w.items[i]) {
			hit++
		}
	}
	return float64(hit) / float64(min(5, n)), n
}

// vigilTop is the index of vigil's top five for q.
func vigilTop(w *world, text string) []int {
	r := w.ix.Search(context.Background(), omni.Query{Text: text, Limit: 5})
	var out []int
	for _, h := range r.Hits {
		out = append(out, indexOfItem(w, h.Item))
	}
	return out
}

func indexOfItem(w *world, it *omni.Item) int {
	for i := range w.items {
		if w.items[i].Kind == it.Kind && w.items[i].ID == it.ID {
			return i
		}
	}
	return -1
}

// TestRelevance runs the relevance set through vigil's search: every query
// has its relevant items in the top five (at least four of five, and all
// when fewer exist), and a named first hit comes first.
func TestRelevance(t *testing.T) {
	w := demoWorld(t)
	qs := relevanceQueries(t, w)
	if len(qs) < 40 {
		t.Fatalf("%d queries, want at least 40", len(qs))
	}
	for _, q := range qs {
		top := vigilTop(w, q.text)
		p, n := precision(w, q, top)
		if n == 0 {
			t.Errorf("%s %q: nothing in the demo data is relevant; the query set is wrong", q.class, q.text)
			continue
		}
		if p < 0.8 {
			t.Errorf("%s %q: precision@5 %.2f (%d relevant); top: %s", q.class, q.text, p, n, describe(w, top))
		}
		if q.first != "" && (len(top) == 0 || w.items[top[0]].ID != q.first) {
			t.Errorf("%s %q: first hit %s, want %s", q.class, q.text, describe(w, top[:min(1, len(top))]), q.first)
		}
	}
}

func describe(w *world, top []int) string {
	var b []string
	for _, i := range top {
		it := &w.items[i]
		b = append(b, it.Kind.String()+":"+it.Title)
	}
	return strings.Join(b, " | ")
}

// TestRelevanceYardstick runs the same queries through `fzf --filter` on
// the very lines vigil searches and requires vigil's mean top-5 precision
// to be at least fzf's in every query class. fzf must be installed.
func TestRelevanceYardstick(t *testing.T) {
	fzf, err := exec.LookPath("fzf")
	if err != nil {
		t.Fatalf("fzf is not installed (apt-get install fzf): the yardstick cannot run: %v", err)
	}
	w := demoWorld(t)
	path := filepath.Join(t.TempDir(), "lines.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatalf("create lines: %v", err)
	}
	bw := bufio.NewWriter(f)
	for i := range w.items {
		fmt.Fprintf(bw, "%d\t%s\n", i, w.ix.Line(i))
	}
	if err := bw.Flush(); err != nil {
		t.Fatalf("write lines: %v", err)
	}
	f.Close()
	type sums struct {
		vigil, fzf float64
		n          int
	}
	classes := map[string]*sums{}
	for _, q := range relevanceQueries(t, w) {
		in, err := os.Open(path)
		if err != nil {
			t.Fatalf("open lines: %v", err)
		}
		cmd := exec.Command(fzf, "--filter", q.text, "-i", "--delimiter", "\t", "--nth", "2..")
		cmd.Stdin = in
		out, err := cmd.Output()
		in.Close()
		if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) { // 1: no match
			t.Fatalf("fzf --filter %q: %v", q.text, err)
		}
		var ftop []int
		for _, l := range strings.SplitN(string(out), "\n", 6)[:min(5, strings.Count(string(out), "\n"))] {
			i, err := strconv.Atoi(l[:strings.IndexByte(l, '\t')])
			if err != nil {
				t.Fatalf("fzf line %q: %v", l, err)
			}
			ftop = append(ftop, i)
		}
		vp, _ := precision(w, q, vigilTop(w, q.text))
		fp, _ := precision(w, q, ftop)
		s := classes[q.class]
		if s == nil {
			s = &sums{}
			classes[q.class] = s
		}
		s.vigil, s.fzf, s.n = s.vigil+vp, s.fzf+fp, s.n+1
		t.Logf("%-7s %-32q vigil %.2f fzf %.2f", q.class, q.text, vp, fp)
	}
	for c, s := range classes {
		v, f := s.vigil/float64(s.n), s.fzf/float64(s.n)
		t.Logf("class %-7s (%d queries): vigil %.2f, fzf %.2f", c, s.n, v, f)
		if v < f {
			t.Errorf("class %s: vigil's top-5 precision %.2f is below fzf's %.2f", c, v, f)
		}
	}
}
