package main

import "testing"

func TestParseOSC11(t *testing.T) {
	t.Parallel()
	cases := []struct {
		reply    string
		dark, ok bool
	}{
		{"\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[12;1R", true, true},
		{"\x1b]11;rgb:ffff/ffff/ffff\x07", false, true},
		{"\x1b]11;rgb:fd/f6/e3\x1b\\", false, true}, // solarized light, 2 digits a channel
		{"\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\", true, true},
		{"\x1b[12;1R", false, false}, // the terminal ignored OSC 11
		{"\x1b]11;rgb:zz/00/00\x1b\\", false, false},
	}
	for _, c := range cases {
		dark, ok := parseOSC11(c.reply)
		if dark != c.dark || ok != c.ok {
			t.Errorf("parseOSC11(%q) = %v, %v; want %v, %v", c.reply, dark, ok, c.dark, c.ok)
		}
	}
}

func TestThemeFromConfig(t *testing.T) {
	t.Setenv("COLORFGBG", "")
	light := func() (bool, bool) { return false, true }
	silent := func() (bool, bool) { return false, false }
	for _, c := range []struct {
		theme string
		query func() (bool, bool)
		dark  bool
	}{
		{"dark", light, true}, {"light", nil, false}, {"auto", light, false}, {"", light, false}, {"auto", silent, true},
	} {
		got, err := themeDark(c.theme, c.query)
		if err != nil || got != c.dark {
			t.Errorf("theme %q: dark=%v, %v; want %v", c.theme, got, err, c.dark)
		}
	}
	if _, err := themeDark("solarized", nil); err == nil {
		t.Error("an unknown theme is accepted")
	}
	t.Setenv("COLORFGBG", "0;15")
	if got, _ := themeDark("auto", func() (bool, bool) { t.Fatal("queried although COLORFGBG says"); return true, true }); got {
		t.Error("COLORFGBG 0;15 (white background) read as dark")
	}
}
