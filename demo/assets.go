// Package demo generates vigil's demonstration data without AWS: a
// deterministic, realistic inventory of every asset type (with a believable
// spread of misconfigurations), a scan source that replays it with a little
// drift, and 90 days of history for a store that holds it.
package demo

import (
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// InventorySeed is the seed of the fixed demo inventory.
const InventorySeed = 20240917

// InventorySize is the number of assets in the fixed demo inventory.
const InventorySize = 3000

// SourceName is the Source field of every demo asset and scan.
const SourceName = "demo"

// Regions are the demo regions; ap-southeast-2 is deliberately outside the
// usual approved list so the region policy has something to find.
func Regions() []string {
	return []string{"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"}
}

// Accounts returns the demo account IDs for an inventory of n assets: three
// (prod, staging, shared/dev) up to a few thousand assets, about one account
// per thousand assets beyond that.
func Accounts(n int) []string {
	k := 3
	if n > 6000 {
		k = n / 1000
	}
	out := make([]string, k)
	base := [3]string{"111111111111", "222222222222", "333333333333"}
	for i := range out {
		if i < 3 {
			out[i] = base[i]
			continue
		}
		s := strconv.Itoa(400000000000 + i)
		out[i] = s
	}
	return out
}

// Inventory is the fixed demo inventory (InventorySeed, InventorySize) with
// timestamps relative to now.
func Inventory(now time.Time) []asset.Asset {
	return Assets(InventorySeed, InventorySize, now)
}

// Assets generates about n assets (exactly n unless n is too small to hold
// one of everything) of every AWS type plus vuln.finding, deterministically
// from seed: the same seed, n and now give the same assets in the same order.
// Timestamps are relative to now. Accounts are generated in parallel, each
// from its own seeded stream, and concatenated in account order.
func Assets(seed int64, n int, now time.Time) []asset.Asset {
	accts := Accounts(n)
	parts := make([][]asset.Asset, len(accts))
	workers := min(runtime.GOMAXPROCS(0), len(accts))
	next := make(chan int, len(accts))
	for i := range accts {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				budget := n / len(accts)
				if i < n%len(accts) {
					budget++
				}
				g := newGen(seed, i, budget, now)
				g.account(i, accts[i], max(budget, 60))
				g.findings(max(budget-len(g.out), len(g.targets)/2+1)) // a tiny estate still gets some
				parts[i] = g.out
			}
		}()
	}
	wg.Wait()
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	out := make([]asset.Asset, 0, total)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// gen holds the state of one account's generation.
type gen struct {
	r       *rand.Rand
	now     time.Time
	key     uint64 // seed-derived key mixed into every resource ID
	ctr     uint64 // account index << 32 | resource counter: every ID is unique
	out     []asset.Asset
	targets []target // instances that carry vulnerability findings
}

// target is an instance chosen to carry findings; critical ones may get
// findings with CVSS >= 7.
type target struct {
	id, account, region string
	critical            bool
	start, count        int // first CVE offset; findings added so far
}

func newGen(seed int64, idx, budget int, now time.Time) *gen {
	s := uint64(seed)
	return &gen{
		r:   rand.New(rand.NewPCG(s, mix64(s^uint64(idx)<<20))),
		now: now.UTC(),
		key: mix64(s),
		ctr: uint64(idx) << 32,
		out: make([]asset.Asset, 0, budget+budget/20+64),
	}
}

// hex returns n hex digits unique across this run (n >= 16 keeps them unique).
func (g *gen) hex(n int) string {
	g.ctr++
	v := mix64(g.key ^ g.ctr)
	if n <= 16 {
		return hexN(v, n)
	}
	return hexN(0, n-16) + hexN(v, 16)
}

// rid returns an AWS-style resource ID such as i-0123456789abcdef0.
func (g *gen) rid(prefix string) string { return prefix + "-0" + g.hex(16) }

// upperID returns an IAM-style unique ID: prefix plus 16 upper-case characters.
func (g *gen) upperID(prefix string) string {
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	g.ctr++
	v := mix64(g.key ^ g.ctr)
	var b [16]byte
	for i := 0; i < 13; i++ {
		b[i] = alpha[v&31]
		v >>= 5
	}
	w := g.r.Uint64()
	for i := 13; i < 16; i++ {
		b[i] = alpha[w&31]
		w >>= 5
	}
	return prefix + string(b[:])
}

// uuid returns a unique version-4-looking UUID (KMS key IDs).
func (g *gen) uuid() string {
	a := g.hex(16)
	b := hexN(g.r.Uint64(), 16)
	return a[:8] + "-" + a[8:12] + "-4" + a[13:16] + "-a" + b[1:4] + "-" + b[4:16]
}

// ago returns a timestamp between lo and hi days before now.
func (g *gen) ago(lo, hi int) string {
	d := days(lo) + time.Duration(g.r.Int64N(int64(days(hi-lo)+1)))
	return ts(g.now, d)
}

// count rounds x stochastically so small budgets still get some resources.
func (g *gen) count(x float64) int {
	n := int(x)
	if g.r.Float64() < x-float64(n) {
		n++
	}
	return n
}

// add appends an asset with the shared identity fields filled in.
func (g *gen) add(id, typ, name, account, region string, tags map[string]string, firstSeen int, attrs map[string]any) *asset.Asset {
	g.out = append(g.out, asset.Asset{
		ID: id, Type: typ, Name: name, Account: account, Region: region, Tags: tags,
		Source: SourceName, FirstSeen: g.now.Add(-days(firstSeen)), LastSeen: g.now, Attrs: attrs,
	})
	return &g.out[len(g.out)-1]
}

// firstSeen is how many days ago vigil first saw a resource.
func (g *gen) firstSeen() int {
	if g.r.IntN(3) == 0 {
		return g.r.IntN(90)
	}
	return 90
}
