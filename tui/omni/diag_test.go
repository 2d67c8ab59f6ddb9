package omni_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/tui/omni"
)

func TestDiag(t *testing.T) {
	ix := omni.NewIndex(demoItems(100_000))
	for _, q := range benchQueries {
		s := omni.NewSession(ix)
		s.Search(context.Background(), omni.Query{})
		for i := 1; i <= len(q); i++ {
			t0 := time.Now()
			r := s.Search(context.Background(), omni.Query{Text: q[:i]})
			fmt.Printf("%-22q total %6d  %v\n", q[:i], r.Total, time.Since(t0).Round(time.Millisecond/10))
		}
	}
}
