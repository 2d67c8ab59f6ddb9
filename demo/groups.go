package demo

import "github.com/vigil-sec/vigil/groups"

// Groups returns the asset groups a demo estate comes with, the way a PacBot
// installation has one per environment and per owning team: `prod`,
// `staging` and `dev` by the Environment tag, two team groups by the Team
// tag, and `data-stores` by resource type.
func Groups() []groups.Group {
	env := func(e string) groups.Group {
		return groups.Group{
			Name: e, Description: "resources tagged Environment=" + e,
			Match: map[string][]string{"tags.Environment": {e}},
		}
	}
	team := func(t string) groups.Group {
		return groups.Group{
			Name: "team-" + t, Description: "resources owned by the " + t + " team",
			Match: map[string][]string{"tags.Team": {t}},
		}
	}
	return []groups.Group{
		env("prod"), env("staging"), env("dev"),
		team("payments"), team("identity"),
		{
			Name: "data-stores", Description: "buckets, databases, volumes and their snapshots",
			Types: []string{"aws.s3.bucket", "aws.rds.instance", "aws.rds.snapshot", "aws.ec2.volume", "aws.ec2.snapshot"},
		},
	}
}
