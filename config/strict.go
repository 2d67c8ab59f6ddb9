package config

import (
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vigil-sec/vigil/internal/didyoumean"
)

// UnknownFieldError is a key of the config file that no setting takes,
// where it is and the closest known key.
type UnknownFieldError struct {
	File  string
	Line  int
	Key   string
	Where string // dotted path of the mapping holding it ("" at the top)
	Hint  string // ` (did you mean "regions"?)` or the known keys
}

// Error renders "config FILE:LINE: unknown field "k" in where (did you mean...)".
func (e *UnknownFieldError) Error() string {
	in := ""
	if e.Where != "" {
		in = " in " + e.Where
	}
	return fmt.Sprintf("config %s:%d: unknown field %q%s%s; fix or remove it (vigil ignores no setting silently)",
		e.File, e.Line, e.Key, in, e.Hint)
}

// checkKnown walks a YAML node against the Go type it decodes into and
// returns the first key that no field of that type takes.
func checkKnown(file string, n *yaml.Node, t reflect.Type, where string) error {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.DocumentNode {
		for _, c := range n.Content {
			if err := checkKnown(file, c, t, where); err != nil {
				return err
			}
		}
		return nil
	}
	if n.Kind == yaml.AliasNode {
		return checkKnown(file, n.Alias, t, where)
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return nil // a type error the decoder reports with its line
		}
		fields := yamlFields(t)
		names := make([]string, 0, len(fields))
		for k := range fields {
			names = append(names, k)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				return &UnknownFieldError{File: file, Line: k.Line, Key: k.Value, Where: where,
					Hint: didyoumean.Suggest(k.Value, names)}
			}
			if err := checkKnown(file, v, ft, join(where, k.Value)); err != nil {
				return err
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := checkKnown(file, n.Content[i+1], t.Elem(), join(where, n.Content[i].Value)); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			return nil
		}
		for i, c := range n.Content {
			if err := checkKnown(file, c, t.Elem(), fmt.Sprintf("%s[%d]", where, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// yamlFields maps the YAML keys of a struct type to their field types;
// fields tagged "-" take no key.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

func join(where, key string) string {
	if where == "" {
		return key
	}
	return where + "." + key
}
