package demo

import (
	"github.com/vigil-sec/vigil/asset"
)

// doc builds a normalised policy document.
func doc(stmts ...any) map[string]any {
	return map[string]any{"version": "2012-10-17", "statements": stmts}
}

// stmt builds one normalised statement.
func stmt(sid, effect string, principals, actions, resources []any, conditions map[string]any) map[string]any {
	return map[string]any{
		"sid": sid, "effect": effect, "principals": principals, "not_principal": false,
		"actions": actions, "resources": resources, "conditions": conditions,
	}
}

// trust is a role trust policy for one principal.
func trust(principal string) map[string]any {
	return doc(stmt("", "Allow", list(principal), list("sts:AssumeRole"), list(), map[string]any{}))
}

// iamRoles adds n roles: a few well-known ones, then service roles.
func (g *gen) iamRoles(a *acct, n int) {
	add := func(name, path, principal string, attached []any, lastUsed string) {
		name = a.unique(name)
		arn := "arn:aws:iam::" + a.id + ":role" + path + name
		a.roles = append(a.roles, arn)
		inline := []any{}
		if g.r.IntN(5) == 0 {
			inline = list(name + "-inline")
		}
		age := 30 + g.r.IntN(1000)
		g.add(arn, asset.TypeIAMRole, name, a.id, asset.Global, g.tags(a, pick(g.r, teams), "iam", ""), min(age, 90), map[string]any{
			"role_name": name, "role_id": g.upperID("AROA"), "path": path, "create_date": ts(g.now, days(age)),
			"assume_role_policy": trust(principal), "attached_policies": attached, "inline_policies": inline,
			"last_used": lastUsed, "max_session_duration": int64([...]int{3600, 3600, 14400, 43200}[g.r.IntN(4)]),
		})
	}
	add("OrganizationAccountAccessRole", "/", "arn:aws:iam::999999999999:root", list("arn:aws:iam::aws:policy/AdministratorAccess"), g.ago(0, 30))
	add("lambda-execution", "/service-role/", "lambda.amazonaws.com", list("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"), g.ago(0, 2))
	a.lambdaRole = a.roles[1]
	for i := 2; i < n; i++ {
		team, app := pick(g.r, teams), pick(g.r, apps)
		lastUsed := g.ago(0, 20)
		if g.r.IntN(6) == 0 {
			lastUsed = ""
		}
		if g.r.IntN(40) == 0 {
			add("legacy-"+team+"-cross-account", "/", "*", list("arn:aws:iam::aws:policy/ReadOnlyAccess"), lastUsed)
			continue
		}
		switch g.r.IntN(5) {
		case 0:
			add(team+"-"+app+"-lambda", "/service-role/", "lambda.amazonaws.com", list("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"), lastUsed)
		case 1:
			add("github-actions-"+team+"-deploy", "/", "arn:aws:iam::"+a.id+":oidc-provider/token.actions.githubusercontent.com", list("arn:aws:iam::"+a.id+":policy/"+team+"-deploy"), lastUsed)
		case 2:
			add("AWSServiceRoleFor"+[...]string{"RDS", "ElasticLoadBalancing", "AutoScaling", "Support"}[g.r.IntN(4)], "/aws-service-role/", "rds.amazonaws.com", list(), lastUsed)
		default:
			add(team+"-"+app+"-ec2", "/", "ec2.amazonaws.com", list("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"), lastUsed)
		}
	}
}

// iamUsers adds n users: people with console access and service users with
// access keys; some miss MFA, hold old or unused keys, or have policies
// attached directly.
func (g *gen) iamUsers(a *acct, n int) {
	for i := 0; i < n; i++ {
		human := g.r.Float64() < 0.7
		var name string
		if human {
			name = a.unique(pick(g.r, firstNames) + "." + pick(g.r, lastNames))
		} else {
			name = a.unique(pick(g.r, serviceUsers))
		}
		arn := "arn:aws:iam::" + a.id + ":user/" + name
		age := 20 + g.r.IntN(1500)
		pwd := human && g.r.Float64() < 0.92
		pwdUsed := ""
		mfa := false
		devices := []any{}
		if pwd {
			switch r := g.r.Float64(); {
			case r < 0.82:
				pwdUsed = g.ago(0, 30)
			case r < 0.92:
				pwdUsed = g.ago(60, 400)
			}
			if g.r.Float64() < 0.82 {
				mfa = true
				devices = list("arn:aws:iam::" + a.id + ":mfa/" + name)
			}
		}
		keys := []any{}
		nk := 0
		switch {
		case !human:
			nk = 1
			if g.r.Float64() < 0.1 {
				nk = 2
			}
		case g.r.Float64() < 0.35:
			nk = 1
		}
		for k := 0; k < nk; k++ {
			keys = append(keys, g.accessKey(min(age, 700)))
		}
		attached, inline := []any{}, []any{}
		if g.r.Float64() < 0.12 {
			attached = list([...]string{"arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/AmazonS3FullAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"}[g.r.IntN(3)])
		}
		if g.r.Float64() < 0.06 {
			inline = list(name + "-s3-access")
		}
		grp := []any{}
		if human {
			grp = append(grp, pick(g.r, iamGroups))
			if g.r.IntN(3) == 0 {
				if s := pick(g.r, iamGroups); s != grp[0] {
					grp = append(grp, s)
				}
			}
		}
		g.add(arn, asset.TypeIAMUser, name, a.id, asset.Global, g.tags(a, pick(g.r, teams), "iam", ""), min(age, 90), map[string]any{
			"user_name": name, "user_id": g.upperID("AIDA"), "path": "/", "create_date": ts(g.now, days(age)),
			"password_enabled": pwd, "password_last_used": pwdUsed, "mfa_active": mfa, "mfa_devices": devices,
			"access_keys": keys, "inline_policies": inline, "attached_policies": attached, "groups": grp,
		})
	}
}

// accessKey returns one access key record (IDs only; there is no secret).
func (g *gen) accessKey(maxAge int) map[string]any {
	created := 1 + g.r.IntN(90)
	if g.r.Float64() < 0.22 {
		created = 91 + g.r.IntN(max(1, maxAge))
	}
	lastUsed, svc := g.ago(0, min(created, 10)), pick(g.r, []string{"s3", "ec2", "sts", "iam", "dynamodb", "sqs"})
	switch r := g.r.Float64(); {
	case r < 0.07:
		lastUsed, svc = "", ""
	case r < 0.12 && created > 60:
		lastUsed = g.ago(50, created)
	}
	status := "Active"
	if g.r.IntN(12) == 0 {
		status = "Inactive"
	}
	return map[string]any{
		"id": g.upperID("AKIA"), "status": status, "created": ts(g.now, days(created)),
		"last_used": lastUsed, "last_used_service": svc,
	}
}

// iamPolicies adds n customer-managed policies; a few allow everything.
func (g *gen) iamPolicies(a *acct, n int) {
	for i := 0; i < n; i++ {
		team, app := pick(g.r, teams), pick(g.r, apps)
		var name string
		var d map[string]any
		if g.r.Float64() < 0.08 {
			name = a.unique(team + "-break-glass-admin")
			d = doc(stmt("", "Allow", list(), list("*"), list("*"), map[string]any{}))
		} else {
			name = a.unique(team + "-" + app + "-access")
			d = doc(
				stmt("ReadData", "Allow", list(), list("s3:GetObject", "s3:ListBucket"), list("arn:aws:s3:::acme-"+team+"-"+app+"-*"), map[string]any{}),
				stmt("Queue", "Allow", list(), list("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"), list("arn:aws:sqs:*:"+a.id+":"+team+"-*"), map[string]any{}),
			)
		}
		age := 30 + g.r.IntN(900)
		ver := 1 + g.r.IntN(4)
		g.add("arn:aws:iam::"+a.id+":policy/"+name, asset.TypeIAMPolicy, name, a.id, asset.Global, g.tags(a, team, app, ""), min(age, 90), map[string]any{
			"policy_name": name, "policy_id": g.upperID("ANPA"), "path": "/",
			"default_version_id": "v" + itoa(int64(ver)), "attachment_count": int64(g.r.IntN(5)),
			"create_date": ts(g.now, days(age)), "update_date": ts(g.now, days(age*(5-ver)/5)), "document": d,
		})
	}
}
