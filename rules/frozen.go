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

// stringMapVal is a map(string, string) (tags): key reads go to the Go map,
// `in` converts nothing, and whole-map operations use cel-go's wrapper,
// built on first use. It belongs to one evaluation goroutine.
type stringMapVal struct {
	m   map[string]string
	std traits.Mapper
}

var _ traits.Mapper = (*stringMapVal)(nil)

func (m *stringMapVal) plain() traits.Mapper {
	if m.std == nil {
		m.std = types.NewStringStringMap(types.DefaultTypeAdapter, m.m)
	}
	return m.std
}

// Find implements traits.Mapper.
func (m *stringMapVal) Find(key ref.Val) (ref.Val, bool) {
	k, ok := key.(types.String)
	if !ok {
		return nil, false
	}
	v, found := m.m[string(k)]
	if !found {
		return nil, false
	}
	return types.String(v), true
}

// Get implements traits.Indexer.
func (m *stringMapVal) Get(key ref.Val) ref.Val {
	v, found := m.Find(key)
	if !found {
		return types.ValOrErr(v, "no such key: %v", key)
	}
	return v
}

// Contains implements traits.Container.
func (m *stringMapVal) Contains(key ref.Val) ref.Val {
	k, ok := key.(types.String)
	if !ok {
		return types.False
	}
	_, found := m.m[string(k)]
	return types.Bool(found)
}

// Size implements traits.Sizer.
func (m *stringMapVal) Size() ref.Val { return types.Int(len(m.m)) }

// IsZeroValue reports an empty map, as cel-go's maps do.
func (m *stringMapVal) IsZeroValue() bool { return len(m.m) == 0 }

// Iterator implements traits.Iterable.
func (m *stringMapVal) Iterator() traits.Iterator { return m.plain().Iterator() }

// ConvertToNative implements ref.Val.
func (m *stringMapVal) ConvertToNative(t reflect.Type) (any, error) {
	return m.plain().ConvertToNative(t)
}

// ConvertToType implements ref.Val.
func (m *stringMapVal) ConvertToType(t ref.Type) ref.Val {
	if t == types.MapType {
		return m
	}
	return m.plain().ConvertToType(t)
}

// Equal implements ref.Val.
func (m *stringMapVal) Equal(o ref.Val) ref.Val { return m.plain().Equal(o) }

// String formats the map as cel-go does.
func (m *stringMapVal) String() string {
	if s, ok := m.plain().(interface{ String() string }); ok {
		return s.String()
	}
	return ""
}

// Type implements ref.Val.
func (m *stringMapVal) Type() ref.Type { return types.MapType }

// Value implements ref.Val.
func (m *stringMapVal) Value() any { return m.m }
