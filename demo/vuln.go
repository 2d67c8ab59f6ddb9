package demo

import "github.com/vigil-sec/vigil/asset"

// severityOf maps a CVSS score to its qualitative rating.
func severityOf(cvss float64) string {
	switch {
	case cvss >= 9:
		return "CRITICAL"
	case cvss >= 7:
		return "HIGH"
	case cvss >= 4:
		return "MEDIUM"
	}
	return "LOW"
}

// findings adds n vulnerability findings on the chosen target instances,
// round-robin so each target gets a few. Only critical targets get findings
// with CVSS >= 7, so most instances pass the vulnerability policy.
func (g *gen) findings(n int) {
	var low, all []int
	for i, c := range cves {
		all = append(all, i)
		if c.cvss < 7 {
			low = append(low, i)
		}
	}
	for n > 0 && len(g.targets) > 0 {
		progress := false
		for ti := range g.targets {
			if n == 0 {
				break
			}
			t := &g.targets[ti]
			pool := low
			if t.critical {
				pool = all
			}
			if t.count >= len(pool) {
				continue // this target has every CVE of its pool already
			}
			c := cves[pool[(t.start+t.count)%len(pool)]]
			t.count++
			g.finding(t, c)
			n--
			progress = true
		}
		if !progress {
			return
		}
	}
}

// finding adds one finding of c on t.
func (g *gen) finding(t *target, c cveInfo) {
	g.add("vuln:"+c.id+"@"+t.id, asset.TypeVulnFinding, c.id, t.account, t.region, nil, g.r.IntN(90), map[string]any{
		"cve": c.id, "title": c.title, "cvss": c.cvss, "severity": severityOf(c.cvss),
		"package": c.pkg, "installed_version": c.have, "fixed_version": c.fixedIn,
		"target": t.id, "first_found": g.ago(0, 120),
	})
}
