package db

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// A writer's summary, tags packed in its scratch space, is byte for byte
// what encodeSummary writes for a.Summary(), from one asset to the next.
func TestWriterSummaryEqualsEncodeSummary(t *testing.T) {
	var w chunkWriter
	var h hasher
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 40 {
		tags := map[string]string{}
		for j := range i % 7 {
			tags[fmt.Sprintf("k%d", (j*5)%7)] = fmt.Sprintf("v%d-%d", i, j)
		}
		if i%5 == 0 {
			tags = nil
		}
		a := asset.Asset{ID: fmt.Sprintf("arn:x:%d", i), Type: asset.TypeVolume, Name: fmt.Sprint("n", i),
			Account: "1", Region: "r", Source: "aws", Tags: tags, FirstSeen: t0, LastSeen: t0.Add(time.Hour),
			Attrs: map[string]any{"size": int64(i)}}
		hash := w.encodeSummary(&a)
		want := a.Summary()
		if hash != want.Hash {
			t.Errorf("asset %d: hash %x, want %x", i, hash, want.Hash)
		}
		sum := h.summaryOf(&a)
		if enc := encodeSummary(nil, &sum); !bytes.Equal(w.sum.b, enc) {
			t.Errorf("asset %d (%d tags): writer encoded %q, encodeSummary %q", i, len(tags), w.sum.b, enc)
		}
	}
}
