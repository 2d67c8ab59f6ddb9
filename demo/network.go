package demo

import (
	"strconv"

	"github.com/vigil-sec/vigil/asset"
)

// vpcInfo is a generated VPC and the security groups created in it.
type vpcInfo struct {
	id      string
	octet   int // second octet of the 10.x.0.0/16 CIDR
	subnets []string
	appSGs  []string
	albSGs  []string
	dbSGs   []string
	defSG   string
}

// regionCtx is the state of one (account, region) while it is filled.
type regionCtx struct {
	a         *acct
	region    string
	arn       string // "arn:aws:ec2:REGION:ACCOUNT:"
	vpcs      []vpcInfo
	instances []instRef
	volumes   []volRef
}

// instRef is a generated instance that EIPs may be associated with.
type instRef struct {
	id string
}

// volRef is a generated volume that snapshots are taken of.
type volRef struct {
	id        string
	size      int64
	encrypted bool
	kms       string
}

// dbPorts are the database ports a security group should not open to the world.
var dbPorts = [...]int64{3306, 5432, 1433, 1521, 27017, 6379, 9200}

// region fills one (account, region) with a budget of about b assets.
func (g *gen) region(a *acct, region string, b float64) {
	rc := &regionCtx{a: a, region: region, arn: "arn:aws:ec2:" + region + ":" + a.id + ":"}
	g.kmsKeys(rc, 1+g.count(b*0.012))
	nv := 1 + g.count(b/350)
	g.vpc(rc, true)
	for i := 0; i < nv; i++ {
		g.vpc(rc, false)
	}
	g.securityGroups(rc, g.count(b*0.1))
	g.instances(rc, 1+g.count(b*0.16))
	g.volumes(rc, g.count(b*0.025))
	g.snapshots(rc, 1+g.count(b*0.08))
	g.eips(rc, 1+g.count(b*0.02))
	g.rdsInstances(rc, 1+g.count(b*0.025))
	g.lambdas(rc, 1+g.count(b*0.06))
	g.loadBalancers(rc, 1+g.count(b*0.015))
}

// vpc adds one VPC with its subnets and default security group.
func (g *gen) vpc(rc *regionCtx, isDefault bool) {
	id := g.rid("vpc")
	v := vpcInfo{id: id, octet: g.r.IntN(250)}
	cidr := "10." + strconv.Itoa(v.octet) + ".0.0/16"
	name := ""
	if isDefault {
		cidr = "172.31.0.0/16"
	} else {
		name = rc.a.unique(rc.a.env + "-" + rc.region + "-vpc")
	}
	for i := 0; i < 3; i++ {
		v.subnets = append(v.subnets, g.rid("subnet"))
	}
	flow := g.r.Float64() < 0.9
	if isDefault {
		flow = g.r.Float64() < 0.35
	}
	logs := []any{}
	if flow {
		dest := "arn:aws:logs:" + rc.region + ":" + rc.a.id + ":log-group:/vpc/flow-logs/" + id
		dtype := "cloud-watch-logs"
		if g.r.IntN(3) == 0 {
			dest, dtype = "arn:aws:s3:::"+rc.a.logBucket+"/vpc/", "s3"
		}
		logs = append(logs, map[string]any{
			"id": g.rid("fl"), "status": "ACTIVE", "traffic_type": pickTraffic(g.r.IntN(4)),
			"destination_type": dtype, "destination": dest,
		})
	}
	tags := map[string]string{}
	display := id
	if !isDefault {
		tags = g.tags(rc.a, "sre", "network", name)
		display = name
	}
	g.add(rc.arn+"vpc/"+id, asset.TypeVPC, display, rc.a.id, rc.region, tags, 90, map[string]any{
		"vpc_id": id, "cidr": cidr, "is_default": isDefault, "state": "available",
		"flow_logs_enabled": flow, "flow_logs": logs,
	})
	v.defSG = g.defaultSG(rc, id)
	rc.vpcs = append(rc.vpcs, v)
}

func pickTraffic(i int) string {
	if i == 0 {
		return "REJECT"
	}
	return "ALL"
}

// rule is one flattened security group rule.
func rule(proto string, from, to int64, cidr, src, desc string) map[string]any {
	return map[string]any{
		"protocol": proto, "from_port": from, "to_port": to, "cidr": cidr,
		"ipv6": cidr == "::/0", "source_group": src, "prefix_list": "", "description": desc,
	}
}

// defaultSG adds a VPC's default security group; most have been stripped of
// their rules as CIS asks.
func (g *gen) defaultSG(rc *regionCtx, vpcID string) string {
	id := g.rid("sg")
	ingress, egress := []any{}, []any{}
	if g.r.Float64() < 0.22 {
		ingress = append(ingress, rule("-1", 0, 65535, "", id, ""))
		egress = append(egress, rule("-1", 0, 65535, "0.0.0.0/0", "", ""))
	}
	g.add(rc.arn+"security-group/"+id, asset.TypeSecurityGroup, "default", rc.a.id, rc.region, map[string]string{}, 90, map[string]any{
		"group_id": id, "group_name": "default", "description": "default VPC security group",
		"vpc_id": vpcID, "is_default": true, "ingress": ingress, "egress": egress,
	})
	return id
}

// securityGroups adds n application security groups spread over the VPCs,
// with a minority opening admin or database ports to the internet.
func (g *gen) securityGroups(rc *regionCtx, n int) {
	for vi := range rc.vpcs {
		v := &rc.vpcs[vi]
		if vi == 0 && len(rc.vpcs) > 1 {
			continue // default VPC: only a few strays land here
		}
		// every application VPC gets one of each core kind
		g.sg(rc, v, "alb")
		g.sg(rc, v, "app")
		g.sg(rc, v, "db")
		n -= 3
	}
	kinds := [...]string{"app", "app", "app", "alb", "db", "bastion", "app", "worker"}
	for i := 0; i < n; i++ {
		vi := g.r.IntN(len(rc.vpcs))
		g.sg(rc, &rc.vpcs[vi], kinds[g.r.IntN(len(kinds))])
	}
}

// sg adds one security group of a kind (alb, app, db, bastion, worker).
func (g *gen) sg(rc *regionCtx, v *vpcInfo, kind string) {
	id := g.rid("sg")
	team, app := pick(g.r, teams), pick(g.r, apps)
	name := rc.a.unique(team + "-" + app + "-" + kind + "-sg")
	var ingress []any
	desc := ""
	switch kind {
	case "alb":
		desc = "public load balancer for " + team + " " + app
		ingress = []any{rule("tcp", 443, 443, "0.0.0.0/0", "", "HTTPS from anywhere"), rule("tcp", 80, 80, "0.0.0.0/0", "", "redirect to HTTPS")}
		v.albSGs = append(v.albSGs, id)
	case "db":
		desc = "database access for " + team
		src := v.defSG
		if len(v.appSGs) > 0 {
			src = v.appSGs[g.r.IntN(len(v.appSGs))]
		}
		port := dbPorts[g.r.IntN(3)]
		ingress = []any{rule("tcp", port, port, "", src, "from app tier")}
		v.dbSGs = append(v.dbSGs, id)
	case "bastion":
		desc = "bastion host access"
		ingress = []any{rule("tcp", 22, 22, "203.0.113.0/24", "", "office VPN")}
		v.appSGs = append(v.appSGs, id)
	default:
		desc = team + " " + app + " " + kind + " tier"
		src := v.defSG
		if len(v.albSGs) > 0 {
			src = v.albSGs[g.r.IntN(len(v.albSGs))]
		}
		ingress = []any{rule("tcp", 8080, 8080, "", src, "from load balancer"), rule("tcp", 22, 22, "10."+strconv.Itoa(v.octet)+".0.0/16", "", "ssh from VPC")}
		v.appSGs = append(v.appSGs, id)
	}
	ingress = g.internalRules(v, ingress)
	ingress = g.misconfigure(ingress)
	egress := []any{rule("-1", 0, 65535, "0.0.0.0/0", "", "")}
	g.add(rc.arn+"security-group/"+id, asset.TypeSecurityGroup, name, rc.a.id, rc.region, g.tags(rc.a, team, app, name), g.firstSeen(), map[string]any{
		"group_id": id, "group_name": name, "description": desc, "vpc_id": v.id,
		"is_default": false, "ingress": ingress, "egress": egress,
	})
}

// misconfigure opens, on a minority of groups, a port to the internet.
func (g *gen) misconfigure(ingress []any) []any {
	r := g.r.Float64()
	switch {
	case r < 0.08:
		ingress = append(ingress, rule("tcp", 22, 22, "0.0.0.0/0", "", "temporary debug access"))
	case r < 0.10:
		ingress = append(ingress, rule("tcp", 22, 22, "::/0", "", ""))
	case r < 0.14:
		ingress = append(ingress, rule("tcp", 3389, 3389, "0.0.0.0/0", "", "RDP for vendor"))
	case r < 0.19:
		p := dbPorts[g.r.IntN(len(dbPorts))]
		ingress = append(ingress, rule("tcp", p, p, "0.0.0.0/0", "", "analytics access"))
	case r < 0.21:
		ingress = append(ingress, rule("-1", 0, 65535, "0.0.0.0/0", "", "allow all (TODO remove)"))
	}
	return ingress
}

// internalRules adds the everyday rules groups accumulate: monitoring from
// a managed prefix list, health checks and service ports from the VPC.
func (g *gen) internalRules(v *vpcInfo, ingress []any) []any {
	cidr := "10." + strconv.Itoa(v.octet) + ".0.0/16"
	if g.r.IntN(2) == 0 {
		mon := rule("tcp", 9100, 9100, "", "", "node exporter from monitoring")
		mon["prefix_list"] = "pl-0" + g.hex(16)
		ingress = append(ingress, mon)
	}
	extra := [...]struct {
		port int64
		desc string
	}{{443, "internal HTTPS"}, {8443, "service mesh"}, {8081, "health checks"}, {6443, "cluster API"}, {53, "internal DNS"}}
	for i, n := 0, g.r.IntN(4); i < n; i++ {
		e := extra[g.r.IntN(len(extra))]
		ingress = append(ingress, rule("tcp", e.port, e.port, cidr, "", e.desc))
	}
	return ingress
}
