package main

import (
	"github.com/spf13/cobra"
)

// newRootCmd builds the command tree. `vigil` alone opens the console.
func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "vigil",
		Short: "Policy-as-code compliance for the cloud, from a terminal",
		Long: "vigil discovers cloud resources, judges them against policies written as code,\n" +
			"tracks every violation until it is fixed at the source, and fixes it with one\n" +
			"confirmed key press. Assess -> Report -> Remediate -> Repeat.",
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConsole(cmd.Context(), e, false, false)
		},
	}
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&e.dbDir, "db", "", "store directory (default $VIGIL_DB, else $XDG_DATA_HOME/vigil/db)")
	pf.BoolVar(&e.readOnly, "read-only", false, "open the store read-only (review a copied store; no fixes, edits or scans)")
	pf.StringSliceVar(&e.policies, "policies", nil, "extra policy directory (repeatable)")
	root.AddCommand(
		newDemoCmd(e),
		newScanCmd(e),
		newAssetsCmd(e),
		newAssetCmd(e),
		newPoliciesCmd(e),
		newViolationsCmd(e),
		newReportCmd(e),
		newPushCmd(e),
		newExceptionsCmd(e),
		newGroupsCmd(e),
		newFixCmd(e),
		newFixesCmd(e),
		newScansCmd(e),
		newSearchCmd(e),
		newServeCmd(e),
		newSessionsCmd(e),
		newStoreCmd(e), newDoctorCmd(e),
		newExportCmd(e),
		newOpenCmd(e),
		newImportCmd(e),
		newDigestCmd(e),
		newDigestsCmd(e),
		newDiffCmd(e),
	)
	return root
}
