package demo

import (
	"strconv"

	"github.com/vigil-sec/vigil/asset"
)

// pickVPC returns an application VPC (the default VPC only now and then).
func (g *gen) pickVPC(rc *regionCtx) *vpcInfo {
	if len(rc.vpcs) == 1 || g.r.IntN(12) == 0 {
		return &rc.vpcs[0]
	}
	return &rc.vpcs[1+g.r.IntN(len(rc.vpcs)-1)]
}

// privateIP returns an address inside the VPC.
func (g *gen) privateIP(v *vpcInfo) string {
	return "10." + strconv.Itoa(v.octet) + "." + strconv.Itoa(g.r.IntN(64)) + "." + strconv.Itoa(4+g.r.IntN(250))
}

// publicIP returns a plausible AWS public address.
func (g *gen) publicIP() string {
	first := [...]string{"3", "18", "34", "35", "44", "52", "54"}
	return first[g.r.IntN(len(first))] + "." + strconv.Itoa(g.r.IntN(256)) + "." + strconv.Itoa(g.r.IntN(256)) + "." + strconv.Itoa(1+g.r.IntN(254))
}

// instances adds n instances, each with its root (and sometimes a data)
// volume attached.
func (g *gen) instances(rc *regionCtx, n int) {
	for i := 0; i < n; i++ {
		v := g.pickVPC(rc)
		id := g.rid("i")
		arn := rc.arn + "instance/" + id
		team, app := pick(g.r, teams), pick(g.r, apps)
		name := rc.a.unique(team + "-" + app + "-" + rc.a.env + "-" + strconv.Itoa(1+g.r.IntN(9)))
		running := g.r.Float64() < 0.88
		state := "running"
		if !running {
			state = "stopped"
		}
		public := running && g.r.Float64() < 0.15
		pub := ""
		if public {
			pub = g.publicIP()
		}
		sgs := []any{}
		switch {
		case len(v.appSGs) == 0 || g.r.IntN(25) == 0:
			sgs = append(sgs, v.defSG)
		default:
			sgs = append(sgs, v.appSGs[g.r.IntN(len(v.appSGs))])
			if g.r.IntN(4) == 0 {
				if s := v.appSGs[g.r.IntN(len(v.appSGs))]; s != sgs[0] {
					sgs = append(sgs, s)
				}
			}
		}
		launched := 1 + g.r.IntN(500)
		az := rc.region + azSuffixes[g.r.IntN(3)]
		vols := []any{g.volume(rc, id, az, "/dev/xvda", launched)}
		if g.r.IntN(5) < 2 {
			vols = append(vols, g.volume(rc, id, az, "/dev/sdf", launched))
		}
		tokens := "required"
		if g.r.Float64() < 0.16 {
			tokens = "optional"
		}
		hop := int64(2)
		if g.r.IntN(3) == 0 {
			hop = 1
		}
		profile := ""
		if g.r.Float64() < 0.7 {
			profile = "arn:aws:iam::" + rc.a.id + ":instance-profile/" + team + "-" + app + "-ec2"
		}
		platform := ""
		if g.r.IntN(12) == 0 {
			platform = "windows"
		}
		monitoring := "disabled"
		if g.r.IntN(10) < 3 {
			monitoring = "enabled"
		}
		tags := g.tags(rc.a, team, app, name)
		if g.r.IntN(2) == 0 && len(tags) > 1 {
			tags["aws:autoscaling:groupName"] = name + "-asg"
			tags["aws:ec2launchtemplate:id"] = "lt-0" + g.hex(16)
			tags["aws:ec2launchtemplate:version"] = strconv.Itoa(1 + g.r.IntN(12))
		}
		if rc.a.hostile && len(rc.instances) == 0 && rc.region == "us-east-1" {
			tags["Description"] = "build box \x1b]0;pwned\x07"
			tags["Note"] = "\x1b[2Jrebuild before Q3"
		}
		g.add(arn, asset.TypeEC2Instance, name, rc.a.id, rc.region, tags, min(launched, g.firstSeen()), map[string]any{
			"instance_id": id, "state": state, "instance_type": pick(g.r, instTypes),
			"image_id": g.rid("ami"), "launch_time": ts(g.now, days(launched)), "platform": platform,
			"vpc_id": v.id, "subnet_id": v.subnets[g.r.IntN(len(v.subnets))],
			"private_ip": g.privateIP(v), "public_ip": pub, "security_group_ids": sgs,
			"volume_ids": vols, "iam_instance_profile": profile,
			"imds":       map[string]any{"http_tokens": tokens, "http_endpoint": "enabled", "hop_limit": hop},
			"monitoring": monitoring,
		})
		rc.instances = append(rc.instances, instRef{id: id})
		if g.r.Float64() < 0.3 {
			g.targets = append(g.targets, target{id: arn, account: rc.a.id, region: rc.region, critical: g.r.Float64() < 0.5, start: g.r.IntN(64)})
		}
	}
}

// volume adds one EBS volume; attached to instance when instance != "".
func (g *gen) volume(rc *regionCtx, instance, az, device string, age int) any {
	id := g.rid("vol")
	size := int64(8 << g.r.IntN(6))
	if device == "/dev/xvda" {
		size = [...]int64{8, 20, 30, 50}[g.r.IntN(4)]
	}
	enc := g.r.Float64() < 0.86
	kms := ""
	if enc {
		kms = rc.a.keys[rc.region]
	}
	snap := ""
	if device == "/dev/xvda" {
		snap = g.rid("snap")
	}
	state := "in-use"
	att := []any{}
	if instance != "" {
		att = append(att, map[string]any{"instance_id": instance, "device": device, "state": "attached"})
	} else {
		state = "available"
	}
	team, app := pick(g.r, teams), pick(g.r, apps)
	name := ""
	if g.r.IntN(2) == 0 {
		name = team + "-" + app + "-data"
	}
	display := id
	if name != "" {
		display = name
	}
	g.add(rc.arn+"volume/"+id, asset.TypeVolume, display, rc.a.id, rc.region, g.tags(rc.a, team, app, name), min(age, g.firstSeen()), map[string]any{
		"volume_id": id, "state": state, "size_gb": size, "volume_type": [...]string{"gp3", "gp3", "gp2", "io2", "st1"}[g.r.IntN(5)],
		"encrypted": enc, "kms_key_id": kms, "snapshot_id": snap, "availability_zone": az,
		"create_time": ts(g.now, days(age)), "attachments": att,
	})
	rc.volumes = append(rc.volumes, volRef{id: id, size: size, encrypted: enc, kms: kms})
	return id
}

// volumes adds n unattached volumes (left behind by terminated instances).
func (g *gen) volumes(rc *regionCtx, n int) {
	for i := 0; i < n; i++ {
		g.volume(rc, "", rc.region+azSuffixes[g.r.IntN(3)], "/dev/sdg", 5+g.r.IntN(400))
	}
}

// snapshots adds n snapshots of the region's volumes; a few are public or shared.
func (g *gen) snapshots(rc *regionCtx, n int) {
	for i := 0; i < n && len(rc.volumes) > 0; i++ {
		v := rc.volumes[g.r.IntN(len(rc.volumes))]
		id := g.rid("snap")
		public := g.r.Float64() < 0.04
		shared := []any{}
		if len(rc.a.others) > 0 && g.r.Float64() < 0.08 {
			shared = append(shared, rc.a.others[g.r.IntN(len(rc.a.others))])
		}
		desc := "Created by AWS Backup for " + v.id
		if g.r.IntN(3) == 0 {
			desc = "pre-upgrade snapshot of " + v.id
		}
		age := 1 + g.r.IntN(365)
		team, app := pick(g.r, teams), pick(g.r, apps)
		g.add(rc.arn+"snapshot/"+id, asset.TypeSnapshot, id, rc.a.id, rc.region, g.tags(rc.a, team, app, ""), min(age, g.firstSeen()), map[string]any{
			"snapshot_id": id, "volume_id": v.id, "size_gb": v.size, "encrypted": v.encrypted,
			"kms_key_id": v.kms, "state": "completed", "start_time": ts(g.now, days(age)),
			"description": desc, "public": public, "shared_with": shared,
		})
	}
}

// eips adds n Elastic IPs, most associated with a running instance.
func (g *gen) eips(rc *regionCtx, n int) {
	for i := 0; i < n; i++ {
		id := g.rid("eipalloc")
		assoc, inst, eni := "", "", ""
		if len(rc.instances) > 0 && g.r.Float64() < 0.85 {
			assoc, eni = g.rid("eipassoc"), g.rid("eni")
			inst = rc.instances[g.r.IntN(len(rc.instances))].id
		}
		team, app := pick(g.r, teams), pick(g.r, apps)
		g.add(rc.arn+"elastic-ip/"+id, asset.TypeEIP, id, rc.a.id, rc.region, g.tags(rc.a, team, app, ""), g.firstSeen(), map[string]any{
			"allocation_id": id, "public_ip": g.publicIP(), "domain": "vpc", "association_id": assoc,
			"instance_id": inst, "network_interface_id": eni, "attached": assoc != "",
		})
	}
}
