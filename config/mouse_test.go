package config

import "testing"

func TestMouseIsOffUnlessTheConfigSaysSo(t *testing.T) {
	t.Parallel()
	c, err := parse("config.yaml", []byte("mouse: true\n"))
	if err != nil || !c.Mouse {
		t.Fatalf("mouse: true parsed as %v, %v", c != nil && c.Mouse, err)
	}
	c, err = parse("config.yaml", []byte("regions: [us-east-1]\n"))
	if err != nil || c.Mouse {
		t.Fatalf("mouse is on by default (%v, %v)", c != nil && c.Mouse, err)
	}
}
