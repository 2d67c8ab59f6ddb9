package db

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigil-sec/vigil/asset"
)

// The fast hash must give exactly asset.HashDoc's value: evaluation marks
// and change detection compare hashes from both.
func TestFastHashEqualsHashDoc(t *testing.T) {
	tricky := []any{
		"plain", "", "quote\"d", `back\slash`, "<html>&amp;", "a<b", "a>b", "a&b", "\x7f", "\x1f", "tab\tnew\nline", "ünïcode", "\u2028", "\xff\xfe bad utf8",
		int64(0), int64(-1 << 63), int64(1<<63 - 1), 7, int32(3), uint8(9),
		0.0, math.Copysign(0, -1), 1.5, -2.25e-7, 1e-6, 1e21, 123456789.125, math.NaN(), math.Inf(1), float32(0.1),
		true, false, nil,
		[]any{}, []any{"a", int64(1), nil, []any{map[string]any{}}},
		map[string]any{}, map[string]any{"z": int64(1), "a": map[string]any{"<k>": "v"}},
		[]string{"x", "<y>"}, map[string]string{"b": "2", "a": "1"}, struct{ A int }{A: 1},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var h hasher
	for i := range 2000 {
		attrs := map[string]any{}
		for j := range rng.IntN(8) {
			attrs[fmt.Sprintf("k%d", j)] = tricky[rng.IntN(len(tricky))]
		}
		if i%3 == 0 {
			attrs["nested"] = map[string]any{"in": []any{tricky[rng.IntN(len(tricky))], map[string]any{"deep": tricky[rng.IntN(len(tricky))]}}}
		}
		var tags map[string]string
		if i%2 == 0 {
			tags = map[string]string{"Owner": "a&b", "Env": fmt.Sprint(i), "": "x"}
		}
		name := fmt.Sprintf("n<%d>", i)
		want := asset.HashDoc(attrs, tags, name)
		if got := h.hashDoc(attrs, tags, name); got != want {
			t.Fatalf("case %d: fast hash %x, HashDoc %x for %#v", i, got, want, attrs)
		}
	}
	if got, want := h.hashDoc(nil, nil, ""), asset.HashDoc(nil, nil, ""); got != want {
		t.Errorf("empty document: %x, want %x", got, want)
	}
}

// BenchmarkFastHash hashes a typical document: a dozen plain strings,
// numbers and a nested list of rules, with tags.
func BenchmarkFastHash(b *testing.B) {
	attrs := map[string]any{"size": int64(100), "encrypted": true, "ratio": 1.5, "nested": map[string]any{}}
	for i := range 12 {
		attrs[fmt.Sprintf("attribute_%d", i)] = fmt.Sprintf("arn:aws:ec2:us-east-1:111111111111:volume/vol-%012d", i)
	}
	attrs["rules"] = []any{map[string]any{"cidr": "10.0.0.0/8", "port": int64(443), "protocol": "tcp"}}
	tags := map[string]string{"Owner": "team-a", "Env": "prod", "CostCenter": "cc-1234"}
	var h hasher
	for b.Loop() {
		h.hashDoc(attrs, tags, "my-volume-name")
	}
}
