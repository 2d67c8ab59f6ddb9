package demo

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// cloneValue deep-copies a document value.
func cloneValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = cloneValue(e)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, e := range t {
			l[i] = cloneValue(e)
		}
		return l
	}
	return v
}

// cloneAsset deep-copies an asset so a run's consumer can never change the
// source's base inventory.
func cloneAsset(a asset.Asset) asset.Asset {
	c := a
	c.Attrs = cloneValue(a.Attrs).(map[string]any)
	if a.Tags != nil {
		c.Tags = make(map[string]string, len(a.Tags))
		for k, v := range a.Tags {
			c.Tags[k] = v
		}
	}
	return c
}

// drift returns a copy of base as seen by a scan run at now: every
// asset seen now, a few security groups opening or closing SSH to the world,
// a couple of instances switching IMDS mode, a bucket's versioning flipped,
// one unattached volume gone and one new security group. The same seed
// always drifts the same way.
func drift(base []asset.Asset, seed uint64, now time.Time) []asset.Asset {
	r := rand.New(rand.NewPCG(seed, 0xd1f7))
	out := make([]asset.Asset, 0, len(base)+1)
	idx := map[string][]int{}
	for _, a := range base {
		c := cloneAsset(a)
		c.LastSeen = now
		idx[c.Type] = append(idx[c.Type], len(out))
		out = append(out, c)
	}
	pickOf := func(typ string, ok func(*asset.Asset) bool) *asset.Asset {
		var cands []int
		for _, i := range idx[typ] {
			if ok == nil || ok(&out[i]) {
				cands = append(cands, i)
			}
		}
		if len(cands) == 0 {
			return nil
		}
		return &out[cands[r.IntN(len(cands))]]
	}
	notDefault := func(a *asset.Asset) bool { return a.Attrs["is_default"] == false }
	for range 3 {
		if sg := pickOf(asset.TypeSecurityGroup, notDefault); sg != nil {
			toggleSSH(sg)
		}
	}
	for range 2 {
		if in := pickOf(asset.TypeEC2Instance, nil); in != nil {
			imds := in.Attrs["imds"].(map[string]any)
			if imds["http_tokens"] == "required" {
				imds["http_tokens"] = "optional"
			} else {
				imds["http_tokens"] = "required"
			}
		}
	}
	if b := pickOf(asset.TypeS3Bucket, nil); b != nil {
		v := b.Attrs["versioning"].(map[string]any)
		if v["status"] == "Enabled" {
			v["status"] = "Suspended"
		} else {
			v["status"] = "Enabled"
		}
	}
	var added *asset.Asset
	if sg := pickOf(asset.TypeSecurityGroup, notDefault); sg != nil {
		c := cloneAsset(*sg)
		incident := 4000 + int(seed%6000)
		id := "sg-0d" + hexN(mix64(seed), 15)
		name := "hotfix-" + strconv.Itoa(incident) + "-sg"
		c.ID = "arn:aws:ec2:" + c.Region + ":" + c.Account + ":security-group/" + id
		c.Name, c.FirstSeen = name, now
		c.Attrs["group_id"], c.Attrs["group_name"] = id, name
		c.Attrs["description"] = "created by hand during incident " + strconv.Itoa(incident)
		if c.Tags != nil {
			c.Tags["Name"] = name
		}
		added = &c
	}
	if gone := pickOf(asset.TypeVolume, func(a *asset.Asset) bool { return a.Attrs["state"] == "available" }); gone != nil {
		id := gone.ID
		kept := out[:0]
		for _, a := range out {
			if a.ID != id {
				kept = append(kept, a)
			}
		}
		out = kept
	}
	if added != nil {
		out = append(out, *added)
	}
	return out
}

// toggleSSH opens SSH to the world on a group that does not allow it, or
// removes the world-open SSH rules of one that does.
func toggleSSH(sg *asset.Asset) {
	in := sg.Attrs["ingress"].([]any)
	kept := make([]any, 0, len(in)+1)
	removed := false
	for _, e := range in {
		rl := e.(map[string]any)
		if rl["from_port"] == int64(22) && (rl["cidr"] == "0.0.0.0/0" || rl["cidr"] == "::/0") {
			removed = true
			continue
		}
		kept = append(kept, rl)
	}
	if !removed {
		kept = append(kept, rule("tcp", 22, 22, "0.0.0.0/0", "", "temporary debug access"))
	}
	sg.Attrs["ingress"] = kept
}
