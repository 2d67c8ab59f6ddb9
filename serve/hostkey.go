package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// HostKey reads the server's ed25519 host key at path, generating it (0600,
// its directory 0700) on first start, so clients see the same host after a
// restart.
func HostKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		if _, perr := gossh.ParsePrivateKey(b); perr != nil {
			return nil, fmt.Errorf("host key %s: %w (remove it to generate a new one)", path, perr)
		}
		return b, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read host key: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate host key: %w", err)
	}
	blk, err := gossh.MarshalPrivateKey(priv, "vigil host key")
	if err != nil {
		return nil, fmt.Errorf("encode host key: %w", err)
	}
	b = pem.EncodeToMemory(blk)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create host key directory: %w", err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, fmt.Errorf("write host key: %w", err)
	}
	return b, nil
}
