package db_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
)

// benchNow is the demo generator's clock in benchmarks.
var benchNow = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func BenchmarkIngest100k(b *testing.B) { benchIngest(b, 100_000) }
func BenchmarkIngest1M(b *testing.B)   { benchIngest(b, 1_000_000) }

// benchIngest times PutAssets of n demo assets into a fresh on-disk store
// (Open included; the final Close, which flushes the memtable and compacts
// level 0, is not: it is reported apart as close-s).
func benchIngest(b *testing.B, n int) {
	assets := demo.Assets(1, n, benchNow)
	b.ReportAllocs()
	i := 0
	var total, cpu, closing time.Duration
	for b.Loop() {
		dir := filepath.Join(b.TempDir(), strconv.Itoa(i))
		i++
		start, c := time.Now(), cpuTime()
		s, err := db.Open(dir, db.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.PutAssets(assets); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		cpu += cpuTime() - c
		b.StopTimer()
		start = time.Now()
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		closing += time.Since(start)
		b.StartTimer()
	}
	b.ReportMetric(closing.Seconds()/float64(i), "close-s")
	b.ReportMetric(float64(n)*float64(i)/total.Seconds(), "assets/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(n*i), "cpu-µs/asset")
}

func BenchmarkLoadSummaries100k(b *testing.B) { benchLoad(b, 100_000) }
func BenchmarkLoadSummaries1M(b *testing.B)   { benchLoad(b, 1_000_000) }

// benchLoad times opening a closed store of n demo assets and loading every
// summary, as the console does at start.
func benchLoad(b *testing.B, n int) {
	dir := filepath.Join(b.TempDir(), "store")
	seed(b, dir, n)
	b.ReportAllocs()
	var cpu time.Duration
	runs := 0
	for b.Loop() {
		c := cpuTime()
		s, err := db.Open(dir, db.Options{})
		if err != nil {
			b.Fatal(err)
		}
		sums, err := s.AllSummaries()
		if err != nil {
			b.Fatal(err)
		}
		if len(sums) != n {
			b.Fatalf("loaded %d summaries, want %d", len(sums), n)
		}
		cpu += cpuTime() - c
		runs++
		b.StopTimer()
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(cpu.Seconds()/float64(runs), "cpu-s/op")
}

// seed writes n demo assets to a store in dir and closes it.
func seed(b *testing.B, dir string, n int) {
	b.Helper()
	assets := demo.Assets(1, n, benchNow)
	if len(assets) != n {
		b.Fatalf("demo gave %d assets, want %d", len(assets), n)
	}
	s, err := db.Open(dir, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.PutAssets(assets); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSequentialSummaries1M walks every summary one by one
// (Summaries), for comparison with the parallel AllSummaries.
func BenchmarkSequentialSummaries1M(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "store")
	seed(b, dir, 1_000_000)
	s, err := db.Open(dir, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		n := 0
		if err := s.Summaries(func(*asset.Summary) bool { n++; return true }); err != nil || n != 1_000_000 {
			b.Fatalf("walked %d summaries: %v", n, err)
		}
	}
}

// BenchmarkEvalStates1M writes and reads back a million evaluation marks.
func BenchmarkEvalStates1M(b *testing.B) {
	marks := make(map[string]uint64, 1_000_000)
	for i := range 1_000_000 {
		marks[fmt.Sprintf("arn:aws:ec2:us-east-1:111111111111:volume/vol-%012d", i)] = uint64(i)
	}
	dir := filepath.Join(b.TempDir(), "store")
	s, err := db.Open(dir, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var put, get time.Duration
	runs := 0
	for b.Loop() {
		runs++
		start := time.Now()
		if err := s.PutEvalStates(marks); err != nil {
			b.Fatal(err)
		}
		put += time.Since(start)
		start = time.Now()
		got, err := s.EvalStates()
		if err != nil || len(got) != len(marks) {
			b.Fatalf("read %d marks: %v", len(got), err)
		}
		get += time.Since(start)
	}
	b.ReportMetric(put.Seconds()/float64(runs), "put-s")
	b.ReportMetric(get.Seconds()/float64(runs), "get-s")
}

// BenchmarkRescan100k times the common case of a repeated scan: every
// asset seen again with unchanged content (only LastSeen moves), so only
// summaries are rewritten.
func BenchmarkRescan100k(b *testing.B) {
	const n = 100_000
	dir := filepath.Join(b.TempDir(), "store")
	seed(b, dir, n)
	assets := demo.Assets(1, n, benchNow)
	s, err := db.Open(dir, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var total, cpu time.Duration
	runs := 0
	for b.Loop() {
		runs++
		for i := range assets {
			assets[i].LastSeen = benchNow.Add(time.Duration(runs) * time.Hour)
		}
		start, c := time.Now(), cpuTime()
		if err := s.PutAssets(assets); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		cpu += cpuTime() - c
	}
	b.ReportMetric(float64(n*runs)/total.Seconds(), "assets/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(n*runs), "cpu-µs/asset")
}

// BenchmarkLoadDocuments100k times what an evaluation pass reads: every
// full document, type by type, with LastSeen merged from the summaries.
func BenchmarkLoadDocuments100k(b *testing.B) {
	const n = 100_000
	dir := filepath.Join(b.TempDir(), "store")
	seed(b, dir, n)
	s, err := db.Open(dir, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	types := append(append([]string{}, asset.AWSTypes...), asset.TypeVulnFinding)
	for b.Loop() {
		got := 0
		for _, typ := range types {
			if err := s.AssetsOfType(typ, func(*asset.Asset) error { got++; return nil }); err != nil {
				b.Fatal(err)
			}
		}
		if got != n {
			b.Fatalf("read %d documents, want %d", got, n)
		}
	}
}
