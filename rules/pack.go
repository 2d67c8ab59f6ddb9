package rules

import (
	"embed"
	"io/fs"
)

//go:embed pack/*.yaml
var pack embed.FS

// BuiltinFS returns the embedded built-in policy pack, one policy per file at
// its root.
func BuiltinFS() fs.FS {
	sub, err := fs.Sub(pack, "pack")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}
