package tui

import (
	"fmt"
	"sort"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

// benchSummaries makes n asset summaries spread over types, accounts and regions.
func benchSummaries(n int) []asset.Summary {
	types := asset.AWSTypes
	regions := []string{"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"}
	out := make([]asset.Summary, n)
	for i := range out {
		typ := types[i%len(types)]
		acct := fmt.Sprintf("%012d", 111111111111*(1+i%3))
		out[i] = asset.Summary{ID: fmt.Sprintf("arn:aws:%s:%s:%s:res/%08d", typ, regions[i%4], acct, i),
			Type: typ, Name: fmt.Sprintf("res-%08d", i), Account: acct, Region: regions[i%4],
			Tags: asset.NewTags(map[string]string{"Owner": "team-" + fmt.Sprint(i%17), "Environment": "prod"})}
	}
	return out
}

// cachedBackend answers the dashboard's reads from precomputed values so a
// benchmark measures the console, not the fake.
type cachedBackend struct {
	*fakeBackend
	sums   []asset.Summary
	scores rules.Scores
	trend  []rules.TrendPoint
	open   []rules.Violation
}

func newCachedBackend(n int) *cachedBackend {
	f := fixtureBackend()
	c := &cachedBackend{fakeBackend: f, sums: benchSummaries(n)}
	c.scores, _ = f.Scores("all", "")
	c.trend, _ = f.Trend("all", "", time.Time{})
	for i := 0; i < n/10; i++ {
		s := &c.sums[i*10]
		c.open = append(c.open, rules.Violation{ID: fmt.Sprint(i), PolicyID: "required-tags-missing", AssetID: s.ID,
			AssetName: s.Name, AssetType: s.Type, Severity: []string{"critical", "high", "medium", "low"}[i%4], Status: rules.StatusOpen})
	}
	return c
}

func (c *cachedBackend) Summaries(string) ([]asset.Summary, error)   { return c.sums, nil }
func (c *cachedBackend) Scores(string, string) (rules.Scores, error) { return c.scores, nil }
func (c *cachedBackend) Trend(string, string, time.Time) ([]rules.TrendPoint, error) {
	return c.trend, nil
}
func (c *cachedBackend) Violations(string, db.ViolationFilter) ([]rules.Violation, error) {
	return c.open, nil
}

// percentiles reports p50 and p99 of the samples as benchmark metrics.
func percentiles(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	at := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkAssetListView100k: one cursor move then View() of the whole
// console on a 100k-row asset list at 160×48.
func BenchmarkAssetListView100k(b *testing.B) {
	be := newCachedBackend(100_000)
	m := New(be, Options{Renderer: asciiRenderer(), Now: func() time.Time { return testNow }}).(*Model)
	m.c.noTimers = true
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	page := newAssetListPage(m.c, "All assets", nil)
	m.Update(pushMsg{page})
	page.setItems(be.sums)
	down := tea.KeyMsg{Type: tea.KeyDown}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		m.Update(down)
		_ = m.View()
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	percentiles(b, lat)
}

// firstFrame runs New, Init (its loads), the first size and View.
func firstFrame(be Backend, page string) string {
	m := New(be, Options{Renderer: asciiRenderer(), Now: func() time.Time { return testNow }, StartPage: page}).(*Model)
	m.c.noTimers = true
	for _, msg := range collect(m.Init()) {
		m.Update(msg)
	}
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	return m.View()
}

// BenchmarkFirstFrameDashboard100k: New() to the first full dashboard frame
// over 100k assets and 10k open violations.
func BenchmarkFirstFrameDashboard100k(b *testing.B) {
	be := newCachedBackend(100_000)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		firstFrame(be, "dashboard")
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	percentiles(b, lat)
}

// BenchmarkFirstFrameAssetList100k: New() to the first frame of the 100k
// asset list (load, sort, first window).
func BenchmarkFirstFrameAssetList100k(b *testing.B) {
	be := newCachedBackend(100_000)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		m := New(be, Options{Renderer: asciiRenderer(), Now: func() time.Time { return testNow }}).(*Model)
		m.c.noTimers = true
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
		page := newAssetListPage(m.c, "All assets", nil)
		m.Update(pushMsg{page})
		for _, msg := range collect(page.Init()) {
			m.Update(msg)
		}
		_ = m.View()
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	percentiles(b, lat)
}

// BenchmarkFilter100k: applying a two-term filter to the 100k asset list.
func BenchmarkFilter100k(b *testing.B) {
	be := newCachedBackend(100_000)
	m := New(be, Options{Renderer: asciiRenderer()}).(*Model)
	page := newAssetListPage(m.c, "All assets", nil)
	page.SetSize(160, 44)
	page.setItems(be.sums)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		page.tbl.SetFilter("bucket !us-east")
	}
}

func TestBenchFixturesAreSane(t *testing.T) {
	if got := firstFrame(newCachedBackend(1000), "dashboard"); len(got) == 0 {
		t.Fatal("empty first frame")
	}
}
