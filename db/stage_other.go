//go:build !linux

package db

import "os"

// exchange swaps two directories with two renames: where the system has no
// atomic exchange, a kill between them leaves the old store at a's name
// and none at b's (recover by renaming it back).
func exchange(a, b string) error {
	tmp := b + ".old"
	if err := os.Rename(b, tmp); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		_ = os.Rename(tmp, b)
		return err
	}
	return os.Rename(tmp, a)
}
