package omni

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/asset"
)

// The two-part checks answer as the plain ones do on the joined line.
func TestInOrder2MatchesInOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "abcde-="[rng.IntN(7)]
		}
		return string(b)
	}
	for range 20000 {
		a, b := word(rng.IntN(12)), ""
		if rng.IntN(4) > 0 {
			b = " " + word(rng.IntN(12))
		}
		term, from := word(1+rng.IntN(4)), rng.IntN(len(a)+len(b)+1)
		if got, want := inOrder2(a, b, from, term), inOrder(a+b, from, term); got != want {
			t.Fatalf("inOrder2(%q, %q, %d, %q) = %d, want %d", a, b, from, term, got, want)
		}
		if got, want := contains2(a, b, term), contains(a+b, term); got != want {
			t.Fatalf("contains2(%q, %q, %q) = %v, want %v", a, b, term, got, want)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// An asset's line made from its head and its shared tag part, case bits
// included, is the original line, wherever the parts sit in their words.
func TestFullLineFromParts(t *testing.T) {
	var sums []asset.Summary
	for i := range 200 {
		name := strings.Repeat("Ab", i%70) + "X"
		tags := asset.TagsOf(asset.TagPair{Key: "Owner", Value: "SRE-Team" + strings.Repeat("Q", i%5)}, asset.TagPair{Key: "Name", Value: name},
			asset.TagPair{Key: "CostCenter", Value: strings.Repeat("cC", i%40)})
		sums = append(sums, asset.Summary{ID: "arn:aws:ec2:eu-west-1:1:instance/i-0ABC" + strings.Repeat("z", i%3), Name: name, Type: "aws.ec2.Instance", Tags: tags})
	}
	ix := NewAssetIndex(sums, nil, nil)
	if len(ix.tags) == 0 {
		t.Fatal("no tag part stored apart")
	}
	for i := range sums {
		it := itemOf(&sums[i], false)
		if got, want := ix.Line(i), string(appendLine(nil, &it)); got != want {
			t.Fatalf("Line(%d) %q, want %q", i, got, want)
		}
	}
}
