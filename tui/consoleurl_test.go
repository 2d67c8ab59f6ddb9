package tui

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestOShowsAndCopiesTheAWSConsoleURL(t *testing.T) {
	t.Parallel()
	d, p := violationsWith(t, fixtureBackend(), "policy:s3-bucket-public")
	v := p.selected()
	d.key("o")
	want := "https://s3.console.aws.amazon.com/s3/buckets/" + v.AssetName + "?region=" + v.Region
	osc := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(want)) + "\x07"
	if !strings.HasPrefix(d.view(), osc) {
		t.Fatalf("frame does not start with the OSC 52 copy of %s: %q", want, d.view()[:60])
	}
	d.mustSee("AWS console (account " + v.Account + ")")
}

func TestOOnAnInstanceInTheAssetList(t *testing.T) {
	t.Parallel()
	d := newDriver(t, fixtureBackend(), Options{})
	p := newAssetListPage(d.m.c, "All assets", nil)
	d.send(pushMsg{p})
	p.tbl.SetFilter("web-00")
	d.key("o")
	want := "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#InstanceDetails:instanceId=i-00"
	if !strings.Contains(d.view(), base64.StdEncoding.EncodeToString([]byte(want))) {
		t.Fatalf("no OSC 52 copy of %s in the frame:\n%s", want, d.view())
	}
}
