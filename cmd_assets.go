package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
)

func newAssetsCmd(e *env) *cobra.Command {
	var typ, account, region string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "assets",
		Short: "List asset summaries from the store",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := e.openStoreRO()
			if err != nil {
				return err
			}
			defer st.Close()
			sc, err := e.scope()
			if err != nil {
				return err
			}
			var out []asset.Summary
			types := map[string]bool{}
			for _, t := range asset.AWSTypes {
				types[t] = true
			}
			err = st.Summaries(func(s *asset.Summary) bool {
				types[s.Type] = true
				if sc.Has(s.ID) && (typ == "" || s.Type == typ) && (account == "" || s.Account == account) && (region == "" || s.Region == region) {
					out = append(out, *s)
				}
				return true
			})
			if err != nil {
				return fmt.Errorf("list assets: %w", err)
			}
			known := make([]string, 0, len(types))
			for t := range types {
				known = append(known, t)
			}
			if err := checkChoice("type", typ, known); err != nil {
				return err
			}
			sort.Slice(out, func(i, j int) bool {
				if out[i].Type != out[j].Type {
					return out[i].Type < out[j].Type
				}
				return out[i].ID < out[j].ID
			})
			if asJSON {
				return printJSONList(e, out)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "TYPE\tNAME\tACCOUNT\tREGION\tID")
			for _, s := range out {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Type, asset.Clean(s.Name), s.Account, s.Region, asset.Clean(s.ID))
			}
			tw.Flush()
			fmt.Fprintf(e.stderr, "%d assets\n", len(out))
			return nil
		},
	}
	cmd.Flags().StringVar(&typ, "type", "", "only this asset type (e.g. aws.s3.bucket)")
	cmd.Flags().StringVar(&account, "account", "", "only this account ID")
	cmd.Flags().StringVar(&region, "region", "", "only this region (global for IAM, account)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newAssetCmd(e *env) *cobra.Command {
	var asJSON bool
	var at string
	cmd := &cobra.Command{
		Use:   "asset ID",
		Short: "Print one asset's full document",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := e.openStoreRO()
			if err != nil {
				return err
			}
			defer st.Close()
			sc, err := e.scope()
			if err != nil {
				return err
			}
			if !sc.Has(args[0]) {
				return fmt.Errorf("asset %s: %w", args[0], db.ErrNotFound)
			}
			a, asOf, err := assetAt(st, args[0], at)
			if err != nil {
				if strings.Contains(err.Error(), args[0]) {
					return err // the store's error names the asset already
				}
				return fmt.Errorf("asset %s: %w", args[0], err)
			}
			if asJSON {
				return printJSON(e, a)
			}
			if asOf != "" {
				fmt.Fprintf(e.stdout, "(%s)\n", asOf)
			}
			fmt.Fprintf(e.stdout, "%s\n  type     %s\n  name     %s\n  account  %s\n  region   %s\n  seen     %s .. %s\n",
				asset.Clean(a.ID), a.Type, asset.Clean(a.Name), a.Account, a.Region,
				a.FirstSeen.Format("2006-01-02 15:04"), a.LastSeen.Format("2006-01-02 15:04"))
			if len(a.Tags) > 0 {
				keys := make([]string, 0, len(a.Tags))
				for k := range a.Tags {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				var parts []string
				for _, k := range keys {
					parts = append(parts, asset.Clean(k)+"="+asset.Clean(a.Tags[k]))
				}
				fmt.Fprintf(e.stdout, "  tags     %s\n", strings.Join(parts, ", "))
			}
			b, err := json.MarshalIndent(a.Attrs, "  ", "  ")
			if err != nil {
				return fmt.Errorf("encode attributes: %w", err)
			}
			fmt.Fprintln(e.stdout, "  attributes")
			for _, line := range strings.Split(string(b), "\n") {
				fmt.Fprintf(e.stdout, "  %s\n", asset.Clean(line))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&at, "at", "", "the document as it was: a scan ID, a day (YYYY-MM-DD, end of day UTC) or an RFC 3339 time")
	return cmd
}

// assetAt reads the asset now, or as it was at --at with a label saying when.
func assetAt(st *db.Store, id, at string) (*asset.Asset, string, error) {
	if at == "" {
		a, err := st.Asset(id)
		return a, "", err
	}
	return cycle.AssetAt(st, id, at)
}
