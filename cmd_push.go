package main

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/report"
	"github.com/vigil-sec/vigil/scanner"
)

func newPushCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "push",
		Short: "Send findings to another tool (securityhub)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newPushSecurityHubCmd(e))
	return cmd
}

func newPushSecurityHubCmd(e *env) *cobra.Command {
	var group, region, profile string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "securityhub",
		Short: "Import open violations into AWS Security Hub as ASFF; archive the findings of closed ones",
		Long: "Open and exempt violations are sent ACTIVE through BatchImportFindings (batches of 100,\n" +
			"throttling retried) under the custom-integration product of each finding's account.\n" +
			"Findings Security Hub holds ACTIVE whose violation has closed since are sent ARCHIVED.\n" +
			"Each account's findings are sent with that account's credentials (the default chain, or\n" +
			"the role_arn of accounts: in the config); findings of other accounts are skipped and named.\n" +
			"Exit 3 when any finding or batch failed or was skipped.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			c, done, err := e.openCycle(ctx, false)
			if err != nil {
				return err
			}
			defer done()
			d, err := reportData(e, c, group, true)
			if err != nil {
				return err
			}
			var active, closed []report.ASFFFinding
			for _, f := range report.ASFFFindings(d, region) {
				if f.RecordState == "ARCHIVED" {
					closed = append(closed, f)
				} else {
					active = append(active, f)
				}
			}
			cfg, err := e.config()
			if err != nil {
				return err
			}
			base, err := scanner.LoadAWSConfig(ctx, profile)
			if err != nil {
				return err
			}
			targets, err := scanner.ResolveTargets(ctx, base, cfg.Accounts)
			if err != nil {
				return err
			}
			byAccount := make(map[string]aws.Config, len(targets))
			for _, t := range targets {
				byAccount[t.Account] = t.Config
			}
			hub := func(account, region string) (report.SecurityHubAPI, bool) {
				ac, ok := byAccount[account]
				if !ok {
					return nil, false
				}
				rc := ac.Copy()
				rc.Region = region
				return securityhub.NewFromConfig(rc), true
			}
			res, err := report.PushSecurityHub(ctx, hub, active, closed)
			if asJSON {
				if perr := printJSON(e, res); perr != nil {
					return perr
				}
			} else {
				printPushResult(e, res)
			}
			if err != nil {
				return err
			}
			if len(res.Failures) > 0 || len(res.Skipped) > 0 {
				return &exitError{code: exitPartial, err: fmt.Errorf("security hub push: %d failed, %d skipped", len(res.Failures), len(res.Skipped))}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&group, "group", "all", "asset group")
	cmd.Flags().StringVar(&region, "region", "", "import every finding into this region's Security Hub (default: each violation's own region, us-east-1 for global resources)")
	cmd.Flags().StringVar(&profile, "profile", "", "AWS profile for the base credentials")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

func printPushResult(e *env, res report.PushResult) {
	fmt.Fprintf(e.stdout, "security hub: %d imported, %d archived, %d failed, %d skipped\n",
		res.Imported, res.Archived, len(res.Failures), len(res.Skipped))
	for _, f := range res.Failures {
		id := f.FindingID
		if id == "" {
			id = "(batch)"
		}
		fmt.Fprintf(e.stdout, "  failed %s: %s %s\n", asset.Clean(id), asset.Clean(f.Code), asset.Clean(f.Message))
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(e.stdout, "  skipped %s\n", s)
	}
}
