package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/asset"
)

// tagRE finds the tags of an HTML page; html/template escapes every `<` of
// data, so each match is a tag the template wrote.
var tagRE = regexp.MustCompile(`<[^>]*>`)

// tags lists the tags of a page with their attribute values dropped: the
// page's structure, which no untrusted string may change.
func tags(page string) []string {
	attrVal := regexp.MustCompile(`="[^"]*"`)
	var out []string
	for _, t := range tagRE.FindAllString(page, -1) {
		out = append(out, attrVal.ReplaceAllString(t, `=""`))
	}
	return out
}

func renderHTML(t *testing.T, d *Data) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func FuzzHTML(f *testing.F) {
	for _, s := range attacks {
		f.Add(s)
	}
	f.Add(`" onmouseover="alert(1)`)
	f.Add(`'><svg onload=alert(1)>`)
	f.Add(`</style><script>x</script>`)
	f.Fuzz(func(t *testing.T, s string) {
		want := tags(renderHTML(t, fixture("prod", "x")))
		page := renderHTML(t, fixture("prod"+s, s))
		got := tags(page)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("the string %q changed the page's tags:\n%s", s, strings.Join(got, "\n"))
		}
		for _, r := range page {
			if r != '\n' && asset.Unsafe(r) {
				t.Fatalf("the string %q left %U in the page", s, r)
			}
		}
	})
}

func TestHTMLIsSelfContained(t *testing.T) {
	t.Parallel()
	page := renderHTML(t, fixture("prod", "<img src=http://evil.example/x>"))
	for _, tag := range tagRE.FindAllString(page, -1) {
		low := strings.ToLower(tag)
		for _, bad := range []string{"src=", "href=", "<script", "<link", "<img", "<iframe", "url(", " on"} {
			if strings.Contains(low, bad) {
				t.Errorf("tag %q may fetch or run something (%q)", tag, bad)
			}
		}
	}
	if !strings.Contains(page, "default-src 'none'") {
		t.Error("no Content-Security-Policy forbidding fetches")
	}
	if !strings.Contains(page, "&lt;img src=http://evil.example/x&gt;") {
		t.Error("the untrusted asset name is not shown escaped")
	}
	for _, want := range []string{`id="trend"`, `id="categories"`, `id="policies"`, `data-severity="critical"`, `data-severity="low"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

// The page renders in a real browser (Debian's chromium, headless) at
// desktop and phone width: the screenshots are real images, and the DOM the
// browser built holds the header, the charts and every severity's table.
func TestHTMLRendersInChromium(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed (apt-get install chromium); the HTML report must be checked in a real browser")
	}
	dir := os.Getenv("VIGIL_TEST_ARTEFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, []byte(renderHTML(t, fixture("prod", "<b>x</b>"))), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) []byte {
		t.Helper()
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir=" + t.TempDir()}
		cmd := exec.Command(bin, append(base, append(args, "file://"+page)...)...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
		}
		return out.Bytes()
	}
	for name, size := range map[string]string{"desktop": "1280,1800", "phone": "390,2400"} {
		png := filepath.Join(dir, "report-"+name+".png")
		run("--screenshot="+png, "--window-size="+size, "--hide-scrollbars")
		b, err := os.ReadFile(png)
		if err != nil {
			t.Fatalf("%s screenshot: %v", name, err)
		}
		if len(b) < 20_000 || !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("%s screenshot is not a real render (%d bytes)", name, len(b))
		}
		t.Logf("%s screenshot: %s (%d bytes)", name, png, len(b))
	}
	dom := string(run("--dump-dom"))
	for _, want := range []string{`<span id="group">prod</span>`, `<svg id="trend"`, `<polyline class="trend-line"`,
		`<table id="policies">`, `data-severity="critical"`, `data-severity="high"`, `data-severity="medium"`,
		`data-severity="low"`, "&lt;b&gt;x&lt;/b&gt;"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the browser's DOM lacks %s", want)
		}
	}
	if strings.Contains(dom, "<b>x</b>") {
		t.Error("the browser parsed an untrusted string as markup")
	}
}
