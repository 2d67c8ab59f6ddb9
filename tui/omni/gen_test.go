package omni_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/tui/omni"
)

// synthItems makes n deterministic asset items shaped like real inventory
// (ARN IDs, types, two accounts, four regions, a few tags).
func synthItems(seed uint64, n int) []omni.Item {
	r := rand.New(rand.NewPCG(seed, 7))
	types := []string{"aws.ec2.instance", "aws.s3.bucket", "aws.ec2.security-group", "aws.rds.instance", "aws.iam.role"}
	accounts := []string{"111111111111", "222222222222"}
	regions := []string{"us-east-1", "eu-west-1", "eu-central-1", "ap-south-1"}
	apps := []string{"payments", "search", "checkout", "ledger", "auth", "billing"}
	envs := []string{"prod", "staging", "dev"}
	items := make([]omni.Item, n)
	for i := range items {
		typ := types[r.IntN(len(types))]
		acct := accounts[r.IntN(len(accounts))]
		reg := regions[r.IntN(len(regions))]
		app, env := apps[r.IntN(len(apps))], envs[r.IntN(len(envs))]
		name := fmt.Sprintf("%s-%s-%04d", env, app, i)
		id := fmt.Sprintf("arn:aws:ec2:%s:%s:thing/x-%08x", reg, acct, r.Uint32())
		items[i] = omni.Item{
			Kind: omni.KindAsset, ID: id, Title: name, Type: typ, Account: acct, Region: reg,
			Tags:          asset.NewTags(map[string]string{"Environment": env, "App": app}),
			HasViolations: r.IntN(4) == 0,
		}
	}
	return items
}
