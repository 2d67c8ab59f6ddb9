package rules

import (
	"reflect"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
)

// freeze converts a Go document value (params) to CEL once, all the way
// down, so that reading it on every evaluation allocates nothing. The
// result behaves as DefaultTypeAdapter.NativeToValue(v): whole-value
// operations (conversion, Value) go to that plain wrapper.
func freeze(v any) ref.Val {
	switch x := v.(type) {
	case map[string]any:
		vals := make(map[string]ref.Val, len(x))
		for k, e := range x {
			vals[k] = freeze(e)
		}
		return &frozenMap{Mapper: types.DefaultTypeAdapter.NativeToValue(x).(traits.Mapper), vals: vals}
	case []any:
		elems := make([]ref.Val, len(x))
		for i, e := range x {
			elems[i] = freeze(e)
		}
		return &frozenList{Lister: types.NewRefValList(types.DefaultTypeAdapter, elems), plain: types.DefaultTypeAdapter.NativeToValue(x)}
	}
	return types.DefaultTypeAdapter.NativeToValue(v)
}

// frozenMap is a map(string, dyn) whose values are converted already.
type frozenMap struct {
	traits.Mapper // the plain wrapper
	vals          map[string]ref.Val
}

var _ traits.Mapper = (*frozenMap)(nil)

// Find implements traits.Mapper.
func (m *frozenMap) Find(key ref.Val) (ref.Val, bool) {
	k, ok := key.(types.String)
	if !ok {
		return m.Mapper.Find(key)
	}
	v, ok := m.vals[string(k)]
	return v, ok
}

// Get implements traits.Indexer.
func (m *frozenMap) Get(key ref.Val) ref.Val {
	if k, ok := key.(types.String); ok {
		if v, ok := m.vals[string(k)]; ok {
			return v
		}
	}
	return m.Mapper.Get(key)
}

// Contains implements traits.Container.
func (m *frozenMap) Contains(key ref.Val) ref.Val {
	if k, ok := key.(types.String); ok {
		_, found := m.vals[string(k)]
		return types.Bool(found)
	}
	return m.Mapper.Contains(key)
}

// frozenList is a list whose elements are converted already; its Go value
// and conversions are those of the plain wrapper over the original slice.
type frozenList struct {
	traits.Lister // over the converted elements
	plain         ref.Val
}

var _ traits.Lister = (*frozenList)(nil)

// ConvertToNative implements ref.Val.
func (l *frozenList) ConvertToNative(t reflect.Type) (any, error) { return l.plain.ConvertToNative(t) }

// Value implements ref.Val.
func (l *frozenList) Value() any { return l.plain.Value() }

// stringMapVal is map(string, string) (tags) answering `in` without
// converting the value.
type stringMapVal struct {
	traits.Mapper
	m map[string]string
}

// Contains implements traits.Container.
func (m *stringMapVal) Contains(key ref.Val) ref.Val {
	if k, ok := key.(types.String); ok {
		_, found := m.m[string(k)]
		return types.Bool(found)
	}
	return m.Mapper.Contains(key)
}
