package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// CSVCell makes an untrusted string a safe spreadsheet cell (asset.CSVCell,
// the one rule for every CSV vigil writes).
func CSVCell(s string) string { return asset.CSVCell(s) }

// WriteCSV writes the report's violations, one row each, with a header.
func WriteCSV(w io.Writer, d *Data) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "policy_id", "asset_id", "asset_type", "account", "region", "severity", "status", "message", "opened_at", "closed_at"})
	for _, v := range d.Report.Violations {
		closed := ""
		if v.ClosedAt != nil {
			closed = v.ClosedAt.Format(time.RFC3339)
		}
		_ = cw.Write([]string{CSVCell(v.ID), CSVCell(v.PolicyID), CSVCell(v.AssetID), CSVCell(v.AssetType),
			CSVCell(v.Account), CSVCell(v.Region), CSVCell(v.Severity), CSVCell(v.Status), CSVCell(v.Message),
			v.OpenedAt.Format(time.RFC3339), closed})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write the CSV report: %w", err)
	}
	return nil
}
