// Package serve is `vigil serve`: an SSH server (wish) that gives every
// user the console or a headless command as an actor with a role and
// groups, over one shared store and cycle.
package serve

import (
	"fmt"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
)

// Users maps public keys to the users of config.yaml's serve section.
type Users struct {
	byKey map[string]asset.Actor // marshalled public key -> actor (without Key)
}

// NewUsers checks the users of config.yaml (file names it in errors): a
// role must be known, every key line must parse and no key may belong to
// two users. The first problem is returned with file and line.
func NewUsers(file string, us []config.ServeUser) (*Users, error) {
	out := &Users{byKey: map[string]asset.Actor{}}
	owner := map[string]string{}
	for _, u := range us {
		if strings.TrimSpace(u.Name) == "" {
			return nil, fmt.Errorf("%s:%d: a serve user needs a name", file, u.Line)
		}
		role, err := asset.ParseRole(u.Role)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: user %s: %w", file, u.Line, u.Name, err)
		}
		if len(u.Keys) == 0 {
			return nil, fmt.Errorf("%s:%d: user %s has no keys (public-key login only)", file, u.Line, u.Name)
		}
		for _, k := range u.Keys {
			pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(k.Text))
			if err != nil {
				return nil, fmt.Errorf("%s:%d: user %s: bad key line (want \"ssh-ed25519 AAAA... comment\"): %w", file, k.Line, u.Name, err)
			}
			id := string(pk.Marshal())
			if prev, dup := owner[id]; dup {
				return nil, fmt.Errorf("%s:%d: user %s: duplicate key %s (already given to %s)", file, k.Line, u.Name, gossh.FingerprintSHA256(pk), prev)
			}
			owner[id] = u.Name
			out.byKey[id] = asset.Actor{Name: u.Name, Role: role, Via: asset.ViaSSH, Groups: u.Groups}
		}
	}
	return out, nil
}

// Lookup returns the actor a public key logs in as.
func (u *Users) Lookup(pk gossh.PublicKey) (asset.Actor, bool) {
	a, ok := u.byKey[string(pk.Marshal())]
	if ok {
		a.Key = gossh.FingerprintSHA256(pk)
	}
	return a, ok
}

// Len is the number of keys.
func (u *Users) Len() int { return len(u.byKey) }

// gossFingerprint is a key's SHA256 fingerprint, for the log.
func gossFingerprint(pk gossh.PublicKey) string { return gossh.FingerprintSHA256(pk) }
