package report

import (
	"bufio"
	"fmt"
	"io"
	"time"
)

// WriteMarkdown writes the report as GitHub-flavoured Markdown; every
// untrusted string goes through MarkdownText.
func WriteMarkdown(w io.Writer, d *Data) error {
	r := d.Report
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Compliance report — group %s\n\nGenerated %s; last scan %s (%s).\n\n", MarkdownText(r.Group),
		r.GeneratedAt.Format(time.RFC3339), MarkdownText(dash(r.Scan.ID)), MarkdownText(dash(r.Scan.Status)))
	fmt.Fprintf(bw, "| overall | security | governance | cost | tagging |\n|---|---|---|---|---|\n")
	fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n\n", pct(r.Compliance, "overall"), pct(r.Compliance, "security"),
		pct(r.Compliance, "governance"), pct(r.Compliance, "cost"), pct(r.Compliance, "tagging"))
	fmt.Fprintf(bw, "## Policies\n\n| policy | name | severity | category | evaluated | open | exempt | compliance |\n|---|---|---|---|---|---|---|---|\n")
	for _, p := range r.Policies {
		fmt.Fprintf(bw, "| %s | %s | %s | %s | %d | %d | %d | %d%% |\n", MarkdownText(p.ID), MarkdownText(p.Name),
			MarkdownText(p.Severity), MarkdownText(p.Category), p.Evaluated, p.Open, p.Exempt, p.Compliance)
	}
	fmt.Fprintf(bw, "\n## Violations (%d)\n\n| status | severity | policy | asset | message |\n|---|---|---|---|---|\n", len(r.Violations))
	for _, v := range r.Violations {
		fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n", MarkdownText(v.Status), MarkdownText(v.Severity),
			MarkdownText(v.PolicyID), MarkdownText(v.AssetID), MarkdownText(v.Message))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write the Markdown report: %w", err)
	}
	return nil
}

func pct(m map[string]int, k string) string {
	v, ok := m[k]
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%d%%", v)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
