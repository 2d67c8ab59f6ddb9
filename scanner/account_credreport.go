package scanner

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// reportWait bounds how long the account collector waits for IAM to
// generate the credential report.
type reportWait struct {
	interval time.Duration // between GenerateCredentialReport calls
	timeout  time.Duration // give up (and fail the unit) after this long
}

// defaultReportWait polls every second for up to 2 minutes; IAM usually takes
// a few seconds.
func defaultReportWait() reportWait {
	return reportWait{interval: time.Second, timeout: 2 * time.Minute}
}

// accountCredentialReport generates the credential report (polling until
// it is COMPLETE, within w) and fetches it once per account per scan.
func accountCredentialReport(ctx context.Context, client *iam.Client, w reportWait) ([]byte, error) {
	if err := accountAwaitReport(ctx, client, w); err != nil {
		return nil, err
	}
	rep, err := client.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	if err != nil {
		return nil, fmt.Errorf("iam get credential report: %w", err)
	}
	return rep.Content, nil
}

// accountAwaitReport asks IAM to generate the report until it says
// COMPLETE, giving up after w.timeout.
func accountAwaitReport(ctx context.Context, client *iam.Client, w reportWait) error {
	waitCtx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	notReady := func(err error) error {
		if ctx.Err() == nil && waitCtx.Err() != nil { // our bound, not the caller's cancel
			return fmt.Errorf("iam credential report not ready after %s: %w", w.timeout, err)
		}
		return nil
	}
	for {
		out, err := client.GenerateCredentialReport(waitCtx, &iam.GenerateCredentialReportInput{})
		if err != nil {
			if nr := notReady(err); nr != nil {
				return nr
			}
			return fmt.Errorf("iam generate credential report: %w", err)
		}
		if out.State == iamtypes.ReportStateTypeComplete {
			return nil
		}
		select {
		case <-waitCtx.Done():
			if nr := notReady(waitCtx.Err()); nr != nil {
				return nr
			}
			return fmt.Errorf("iam credential report: %w", ctx.Err())
		case <-time.After(w.interval):
		}
	}
}

// accountCountReportUsers counts the rows of a credential report CSV after
// the header, excluding the root account's row.
func accountCountReportUsers(content []byte) (int64, error) {
	r := csv.NewReader(bytes.NewReader(content))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return 0, fmt.Errorf("iam credential report: parse CSV: %w", err)
	}
	var n int64
	for i, row := range rows {
		if i == 0 || len(row) == 0 || row[0] == "<root_account>" || (len(row) == 1 && row[0] == "") {
			continue
		}
		n++
	}
	return n, nil
}
