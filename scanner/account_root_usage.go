package scanner

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"time"
)

// rootUsageColumns are the credential report columns that say when the
// root user last signed in or used an access key.
var rootUsageColumns = [...]struct{ column, attr string }{
	{"password_last_used", "password_last_used"},
	{"access_key_1_last_used_date", "access_key_1_last_used"},
	{"access_key_2_last_used_date", "access_key_2_last_used"},
}

// accountRootUsage adds the root user's last use to root from the
// credential report's <root_account> row: usage_known, and each of
// password_last_used, access_key_1_last_used, access_key_2_last_used as
// RFC3339 UTC, "" when never used ("N/A", "no_information"). A report
// without a root row (moto's, or a truncated one) leaves usage_known false:
// unknown is not "never used".
func accountRootUsage(content []byte, root map[string]any) error {
	root["usage_known"] = false
	for _, c := range rootUsageColumns {
		root[c.attr] = ""
	}
	r := csv.NewReader(bytes.NewReader(content))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return fmt.Errorf("iam credential report: parse CSV: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, row := range rows[1:] {
		if len(row) == 0 || row[0] != "<root_account>" {
			continue
		}
		for _, c := range rootUsageColumns {
			i, ok := col[c.column]
			if !ok || i >= len(row) {
				return nil // a report without the column says nothing
			}
			if t, err := time.Parse(time.RFC3339, row[i]); err == nil {
				root[c.attr] = t.UTC().Format(time.RFC3339)
			}
		}
		root["usage_known"] = true
		return nil
	}
	return nil
}
