package omni

import (
	"math/rand/v2"
	"testing"

	"github.com/sahilm/fuzzy"
)

// TestScoreMatchesSahilm checks the byte scorer against sahilm/fuzzy itself
// on random ASCII lines and patterns: same verdict, score and positions.
func TestScoreMatchesSahilm(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abcdeABCDE-_ ./\\xyz0"
	randStr := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	matched := 0
	for n := 0; n < 20000; n++ {
		line := randStr(1 + r.IntN(40))
		pat := randStr(1 + r.IntN(4))
		if pat[0] == ' ' {
			continue
		}
		want := fuzzy.Find(pat, []string{line})
		var pos []int
		// The line sits at a random offset of the index's case bits.
		base := r.IntN(200)
		caps := make(caseBits, (base+len(line))/64+1)
		for b := 0; b < len(line); b++ {
			if 'A' <= line[b] && line[b] <= 'Z' {
				caps[(base+b)>>6] |= 1 << ((base + b) & 63)
			}
		}
		score, end, ok := scoreASCII(lowerString(line), caps, base, lowerString(pat), &pos)
		if ok != (len(want) == 1) || (end >= 0) != ok {
			t.Fatalf("%q in %q: scorer ok=%v end %d, sahilm matched=%v", pat, line, ok, end, len(want) == 1)
		}
		if !ok {
			continue
		}
		matched++
		if score != want[0].Score || !equal(pos, want[0].MatchedIndexes) {
			t.Fatalf("%q in %q: score %d pos %v, sahilm %d %v", pat, line, score, pos, want[0].Score, want[0].MatchedIndexes)
		}
	}
	if matched < 1000 {
		t.Fatalf("only %d random cases matched; the test is not exercising scores", matched)
	}
}

func TestNarrows(t *testing.T) {
	yes := true
	cases := []struct {
		prev, next Query
		want       bool
	}{
		{Query{Text: "pro"}, Query{Text: "prod"}, true},
		{Query{Text: "prod"}, Query{Text: "pro"}, false},
		{Query{Text: "prod"}, Query{Text: "prod db"}, true},
		{Query{Text: "prod"}, Query{Text: "prod !db"}, true},
		{Query{Text: "prod !d"}, Query{Text: "prod !db"}, false},
		{Query{Text: "prod !"}, Query{Text: "prod !d"}, true},
		{Query{Text: "prod !d"}, Query{Text: "prod !d x"}, true},
		{Query{Text: ""}, Query{Text: "x", Facets: Facets{Region: "eu-west-1"}}, true},
		{Query{Text: "x", Facets: Facets{Region: "eu-west-1"}}, Query{Text: "x"}, false},
		{Query{Text: "x"}, Query{Text: "x", Facets: Facets{HasViolations: &yes}}, true},
		{Query{Text: "x", Facets: Facets{HasViolations: &yes}}, Query{Text: "xy"}, false},
	}
	for _, c := range cases {
		if got := narrows(c.prev, c.next); got != c.want {
			t.Errorf("narrows(%q %+v, %q %+v) = %v, want %v", c.prev.Text, c.prev.Facets, c.next.Text, c.next.Facets, got, c.want)
		}
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
