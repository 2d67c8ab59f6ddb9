package rules

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// DefaultDomain is the compliance domain of a policy that names none.
const DefaultDomain = "cloud"

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// LoadDir loads every *.yaml and *.yml file directly in dir of fsys, one
// policy per file, each compiled to check its CEL. Every broken file yields
// an error naming file and line, and the other files still load. Policies
// come back sorted by ID; a second file with an ID already seen is an error.
func LoadDir(fsys fs.FS, dir string) ([]*Policy, []error) {
	return loadDir(fsys, dir, "")
}

// loadDir loads dir of fsys; label, when set, replaces dir in the file names
// errors and policies carry (an OS directory behind os.DirFS).
func loadDir(fsys fs.FS, dir, label string) ([]*Policy, []error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, []error{fmt.Errorf("policies %s: %w", dir, err)}
	}
	env, err := newEnv()
	if err != nil {
		return nil, []error{err}
	}
	var (
		out  []*Policy
		errs []error
		seen = map[string]string{}
	)
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !(strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, name))
		file := path.Join(dir, name)
		if label != "" {
			file = filepath.Join(label, name)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("policy %s: %w", file, err))
			continue
		}
		p, err := parsePolicy(env, file, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if prev, dup := seen[p.ID]; dup {
			errs = append(errs, fmt.Errorf("policy %s: id %q already defined in %s", file, p.ID, prev))
			continue
		}
		seen[p.ID] = file
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, errs
}

// Merge overlays policies on base by ID: an override replaces the base
// policy of the same ID, new IDs are added. The result is sorted by ID.
func Merge(base []*Policy, overrides ...[]*Policy) []*Policy {
	byID := make(map[string]*Policy, len(base))
	for _, p := range base {
		byID[p.ID] = p
	}
	for _, o := range overrides {
		for _, p := range o {
			byID[p.ID] = p
		}
	}
	out := make([]*Policy, 0, len(byID))
	for _, p := range byID {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// LoadAll loads the built-in pack and then each user directory in order,
// later ones overriding earlier ones by policy ID. A directory that does not
// exist is an error; pass only the directories that should be read.
func LoadAll(userDirs ...string) ([]*Policy, []error) {
	base, errs := LoadDir(BuiltinFS(), ".")
	for _, p := range base {
		p.Builtin = true
	}
	layers := make([][]*Policy, 0, len(userDirs))
	for _, dir := range userDirs {
		st, err := os.Stat(dir)
		if err != nil {
			errs = append(errs, fmt.Errorf("policies %s: %w", dir, err))
			continue
		}
		if !st.IsDir() {
			errs = append(errs, fmt.Errorf("policies %s: %w", dir, errors.New("not a directory")))
			continue
		}
		ps, es := loadDir(os.DirFS(dir), ".", dir)
		errs = append(errs, es...)
		layers = append(layers, ps)
	}
	return Merge(base, layers...), errs
}

// Validate loads a directory and returns every problem found, including
// failing inline tests; nil means every policy loads and passes its tests.
func Validate(fsys fs.FS, dir string) []error {
	ps, errs := LoadDir(fsys, dir)
	for _, r := range RunTests(ps) {
		if !r.Passed {
			errs = append(errs, r.Err())
		}
	}
	return errs
}
