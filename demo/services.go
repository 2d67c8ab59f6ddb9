package demo

import (
	"strconv"

	"github.com/vigil-sec/vigil/asset"
)

// kmsKeys adds n customer-managed keys; the first becomes the region's
// default key for volumes and snapshots.
func (g *gen) kmsKeys(rc *regionCtx, n int) {
	for i := 0; i < n; i++ {
		id := g.uuid()
		arn := "arn:aws:kms:" + rc.region + ":" + rc.a.id + ":key/" + id
		if i == 0 {
			rc.a.keys[rc.region] = arn
		}
		team := pick(g.r, teams)
		spec, usage := "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"
		if i > 0 && g.r.IntN(8) == 0 {
			spec, usage = "RSA_2048", "SIGN_VERIFY"
		}
		state := "Enabled"
		switch g.r.IntN(25) {
		case 0:
			state = "Disabled"
		case 1:
			state = "PendingDeletion"
		}
		rot := spec == "SYMMETRIC_DEFAULT" && g.r.Float64() < 0.78
		age := 30 + g.r.IntN(1200)
		g.add(arn, asset.TypeKMSKey, id, rc.a.id, rc.region, g.tags(rc.a, team, "kms", ""), min(age, 90), map[string]any{
			"key_id": id, "description": team + " data encryption key", "key_state": state,
			"key_manager": "CUSTOMER", "key_spec": spec, "key_usage": usage,
			"creation_date": ts(g.now, days(age)), "rotation_enabled": rot,
		})
	}
}

// rdsInstances adds n databases and a few snapshots of each.
func (g *gen) rdsInstances(rc *regionCtx, n int) {
	engines := [...][2]string{{"postgres", "16.3"}, {"postgres", "14.11"}, {"mysql", "8.0.35"}, {"aurora-postgresql", "15.4"}, {"mariadb", "10.11.6"}}
	for i := 0; i < n; i++ {
		v := g.pickVPC(rc)
		team, app := pick(g.r, teams), pick(g.r, apps)
		dbID := rc.a.unique(team + "-" + app + "-" + rc.a.env + "-db")
		eng := engines[g.r.IntN(len(engines))]
		enc := g.r.Float64() < 0.86
		kms := ""
		if enc {
			kms = rc.a.keys[rc.region]
		}
		retention := [...]int64{7, 7, 14, 14, 35, 30}[g.r.IntN(6)]
		if g.r.Float64() < 0.15 {
			retention = [...]int64{0, 1, 1, 3}[g.r.IntN(4)]
		}
		sgs := []any{v.defSG}
		if len(v.dbSGs) > 0 {
			sgs[0] = v.dbSGs[g.r.IntN(len(v.dbSGs))]
		}
		arn := "arn:aws:rds:" + rc.region + ":" + rc.a.id + ":db:" + dbID
		g.add(arn, asset.TypeRDSInstance, dbID, rc.a.id, rc.region, g.tags(rc.a, team, app, ""), g.firstSeen(), map[string]any{
			"db_instance_identifier": dbID, "engine": eng[0], "engine_version": eng[1],
			"instance_class": pick(g.r, dbClasses), "status": "available",
			"publicly_accessible": g.r.Float64() < 0.07, "storage_encrypted": enc, "kms_key_id": kms,
			"auto_minor_version_upgrade": g.r.Float64() < 0.85, "backup_retention_period": retention,
			"multi_az": rc.a.env == "prod" && g.r.IntN(10) < 7, "vpc_security_group_ids": sgs,
			"endpoint": dbID + ".c" + g.hex(10) + "." + rc.region + ".rds.amazonaws.com",
		})
		for s := g.count(1.3); s > 0; s-- {
			g.rdsSnapshot(rc, dbID, eng[0], enc, team, app)
		}
	}
}

// rdsSnapshot adds one automated or manual snapshot of a database.
func (g *gen) rdsSnapshot(rc *regionCtx, dbID, engine string, enc bool, team, app string) {
	age := 1 + g.r.IntN(200)
	t := g.now.Add(-days(age))
	var id, kind string
	if g.r.IntN(3) == 0 {
		id, kind = rc.a.unique(dbID+"-before-upgrade"), "manual"
	} else {
		id, kind = rc.a.unique("rds:"+dbID+"-"+t.Format("2006-01-02-15-04")), "automated"
	}
	public := kind == "manual" && g.r.Float64() < 0.1
	shared := []any{}
	if kind == "manual" && len(rc.a.others) > 0 && g.r.IntN(6) == 0 {
		shared = append(shared, rc.a.others[g.r.IntN(len(rc.a.others))])
	}
	g.add("arn:aws:rds:"+rc.region+":"+rc.a.id+":snapshot:"+id, asset.TypeRDSSnapshot, id, rc.a.id, rc.region, g.tags(rc.a, team, app, ""), min(age, 90), map[string]any{
		"snapshot_identifier": id, "db_instance_identifier": dbID, "engine": engine, "encrypted": enc,
		"snapshot_type": kind, "status": "available", "create_time": ts(g.now, days(age)),
		"public": public, "shared_with": shared,
	})
}

// lambdas adds n functions; some run deprecated runtimes, one in ~30 is
// invocable by anyone.
func (g *gen) lambdas(rc *regionCtx, n int) {
	verbs := [...]string{"handler", "processor", "sync", "cron", "webhook", "resize", "export", "notify"}
	for i := 0; i < n; i++ {
		team, app := pick(g.r, teams), pick(g.r, apps)
		name := rc.a.unique(team + "-" + app + "-" + verbs[g.r.IntN(len(verbs))])
		runtime := pick(g.r, okRuntimes)
		if g.r.Float64() < 0.14 {
			runtime = pick(g.r, oldRuntimes)
		}
		arn := "arn:aws:lambda:" + rc.region + ":" + rc.a.id + ":function:" + name
		var policy any
		switch r := g.r.Float64(); {
		case r < 0.035:
			policy = doc(stmt("FunctionURLAllowPublicAccess", "Allow", list("*"), list("lambda:InvokeFunction"), list(arn), map[string]any{}))
		case r < 0.45:
			src := "arn:aws:execute-api:" + rc.region + ":" + rc.a.id + ":" + g.hex(10) + "/*/POST/" + app
			policy = doc(stmt("apigateway-invoke", "Allow", list("apigateway.amazonaws.com"), list("lambda:InvokeFunction"), list(arn),
				map[string]any{"ArnLike": map[string]any{"AWS:SourceArn": list(src)}}))
		}
		vpc := ""
		if g.r.IntN(5) < 2 {
			vpc = g.pickVPC(rc).id
		}
		keys := []any{}
		for _, k := range envKeys {
			if g.r.IntN(3) == 0 {
				keys = append(keys, k)
			}
		}
		if g.r.IntN(4) == 0 {
			keys = append(keys, "DB_PASSWORD_SECRET_ARN") // a reference, not a secret
		}
		if g.r.IntN(16) == 0 {
			keys = append(keys, [...]string{"DB_PASSWORD", "STRIPE_SECRET_KEY", "SLACK_TOKEN", "GITHUB_API_KEY"}[g.r.IntN(4)])
		}
		g.add(arn, asset.TypeLambda, name, rc.a.id, rc.region, g.tags(rc.a, team, app, ""), g.firstSeen(), map[string]any{
			"function_name": name, "runtime": runtime, "handler": handlerFor(runtime),
			"role": rc.a.lambdaRole, "last_modified": g.ago(1, 700),
			"memory_size": int64(128 << g.r.IntN(5)), "timeout": int64([...]int{3, 15, 30, 60, 300, 900}[g.r.IntN(6)]),
			"environment_keys": keys, "policy": policy, "vpc_id": vpc,
		})
	}
}

// handlerFor returns a typical handler string for a runtime.
func handlerFor(runtime string) string {
	switch runtime[0] {
	case 'p':
		if runtime[1] == 'y' {
			return "app.lambda_handler"
		}
		return "bootstrap"
	case 'n':
		return "index.handler"
	case 'j':
		return "com.acme.Handler::handleRequest"
	case 'g':
		return "bootstrap"
	case 'r':
		return "function.handler"
	}
	return "Acme.Function::Acme.Function.Handler::Handle"
}

// loadBalancers adds n load balancers; most redirect HTTP to HTTPS.
func (g *gen) loadBalancers(rc *regionCtx, n int) {
	for i := 0; i < n; i++ {
		v := g.pickVPC(rc)
		team, app := pick(g.r, teams), pick(g.r, apps)
		typ, short := "application", "app"
		if g.r.IntN(7) == 0 {
			typ, short = "network", "net"
		}
		name := rc.a.unique(team + "-" + app + "-" + rc.a.env)
		lbHex := g.hex(16)
		arn := "arn:aws:elasticloadbalancing:" + rc.region + ":" + rc.a.id + ":loadbalancer/" + short + "/" + name + "/" + lbHex
		lisPrefix := "arn:aws:elasticloadbalancing:" + rc.region + ":" + rc.a.id + ":listener/" + short + "/" + name + "/" + lbHex + "/"
		scheme, dns := "internet-facing", name+"-"+strconv.Itoa(100000000+g.r.IntN(900000000))+"."+rc.region+".elb.amazonaws.com"
		if g.r.IntN(3) == 0 {
			scheme, dns = "internal", "internal-"+dns
		}
		sgs := []any{}
		var listeners []any
		if typ == "application" {
			if len(v.albSGs) > 0 {
				sgs = append(sgs, v.albSGs[g.r.IntN(len(v.albSGs))])
			} else {
				sgs = append(sgs, v.defSG)
			}
			listeners = append(listeners, listener(lisPrefix+g.hex(16), 443, "HTTPS", g.sslPolicy(), "forward", ""))
			if g.r.Float64() < 0.14 {
				listeners = append(listeners, listener(lisPrefix+g.hex(16), 80, "HTTP", "", "forward", ""))
			} else {
				listeners = append(listeners, listener(lisPrefix+g.hex(16), 80, "HTTP", "", "redirect", "HTTPS"))
			}
		} else {
			listeners = append(listeners, listener(lisPrefix+g.hex(16), 443, "TLS", g.sslPolicy(), "forward", ""))
		}
		g.add(arn, asset.TypeLoadBalancer, name, rc.a.id, rc.region, g.tags(rc.a, team, app, ""), g.firstSeen(), map[string]any{
			"lb_name": name, "dns_name": dns, "scheme": scheme, "lb_type": typ, "vpc_id": v.id,
			"state": "active", "security_group_ids": sgs, "listeners": listeners,
		})
	}
}

// sslPolicy is a listener's TLS policy; about one in ten still allows TLS 1.0/1.1.
func (g *gen) sslPolicy() string {
	if g.r.IntN(10) == 0 {
		return [...]string{"ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS-1-1-2017-01"}[g.r.IntN(2)]
	}
	return [...]string{"ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"}[g.r.IntN(2)]
}

// listener is one load balancer listener with a single default action.
func listener(arn string, port int64, proto, sslPolicy, action, redirect string) map[string]any {
	return map[string]any{
		"arn": arn, "port": port, "protocol": proto, "ssl_policy": sslPolicy,
		"default_actions": []any{map[string]any{"type": action, "redirect_protocol": redirect}},
	}
}
