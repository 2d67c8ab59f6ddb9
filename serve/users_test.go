package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
	"gopkg.in/yaml.v3"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
)

func testKey(t *testing.T) (string, gossh.PublicKey) {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(pk))), pk
}

func decodeServe(t *testing.T, doc string) []config.ServeUser {
	t.Helper()
	var c config.Config
	if err := yaml.Unmarshal([]byte(doc), &c); err != nil {
		t.Fatal(err)
	}
	return c.Serve.Users
}

// A config error names the file, the line and what is wrong.
func TestNewUsersErrorsNameTheLine(t *testing.T) {
	t.Parallel()
	k1, _ := testKey(t)
	cases := map[string]struct{ doc, want string }{
		"unknown role": {"serve:\n  users:\n    - {name: otto, role: opertor, keys: [\"" + k1 + "\"]}\n",
			`config.yaml:3: user otto: unknown role "opertor"`},
		"bad key": {"serve:\n  users:\n    - name: vera\n      role: viewer\n      keys:\n        - \"ssh-ed25519 notbase64\"\n",
			"config.yaml:6: user vera: bad key line"},
		"duplicate key": {"serve:\n  users:\n    - {name: a, role: admin, keys: [\"" + k1 + "\"]}\n    - {name: b, role: viewer, keys: [\"" + k1 + "\"]}\n",
			"config.yaml:4: user b: duplicate key"},
	}
	for name, tc := range cases {
		_, err := NewUsers("config.yaml", decodeServe(t, tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", name, err, tc.want)
		}
	}
}

// A known key logs in as its user, with role, groups and fingerprint; an
// unknown key does not.
func TestUsersLookup(t *testing.T) {
	t.Parallel()
	k1, pk1 := testKey(t)
	_, pk2 := testKey(t)
	us, err := NewUsers("config.yaml", decodeServe(t, "serve:\n  users:\n    - {name: pia, role: operator, groups: [prod], keys: [\""+k1+"\"]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	a, ok := us.Lookup(pk1)
	if !ok || a.Name != "pia" || a.Role != asset.RoleOperator || a.Via != asset.ViaSSH || len(a.Groups) != 1 || !strings.HasPrefix(a.Key, "SHA256:") {
		t.Errorf("lookup: %+v %v", a, ok)
	}
	if _, ok := us.Lookup(pk2); ok {
		t.Error("an unknown key logged in")
	}
}
