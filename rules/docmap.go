package rules

import (
	"reflect"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
)

// docAdapter converts document values for CEL like DefaultTypeAdapter, but
// a map(string, dyn) becomes a docMap and a list a docList (one small
// allocation each, elements converted on read, with docAdapter too).
type docAdapter struct{}

// NativeToValue implements types.Adapter.
func (docAdapter) NativeToValue(v any) ref.Val {
	switch x := v.(type) {
	case string:
		return types.String(x)
	case bool:
		return types.Bool(x)
	case map[string]any:
		return &docMap{m: x}
	case []any:
		return &docList{l: x}
	}
	return types.DefaultTypeAdapter.NativeToValue(v)
}

// docMap is a map(string, dyn) document value. Key reads go to the Go map
// directly; whole-map operations (iteration, equality, conversion) use the
// standard cel-go wrapper, built on first use. It belongs to one
// evaluation goroutine.
type docMap struct {
	m   map[string]any
	std traits.Mapper
}

var _ traits.Mapper = (*docMap)(nil)

func (d *docMap) plain() traits.Mapper {
	if d.std == nil {
		d.std = types.NewStringInterfaceMap(docAdapter{}, d.m)
	}
	return d.std
}

// Find implements traits.Mapper.
func (d *docMap) Find(key ref.Val) (ref.Val, bool) {
	k, ok := key.(types.String)
	if !ok {
		return nil, false
	}
	v, found := d.m[string(k)]
	if !found {
		return nil, false
	}
	return docAdapter{}.NativeToValue(v), true
}

// Get implements traits.Indexer.
func (d *docMap) Get(key ref.Val) ref.Val {
	v, found := d.Find(key)
	if !found {
		return types.ValOrErr(v, "no such key: %v", key)
	}
	return v
}

// Contains implements traits.Container.
func (d *docMap) Contains(key ref.Val) ref.Val {
	k, ok := key.(types.String)
	if !ok {
		return types.False
	}
	_, found := d.m[string(k)]
	return types.Bool(found)
}

// Size implements traits.Sizer.
func (d *docMap) Size() ref.Val { return types.Int(len(d.m)) }

// IsZeroValue reports an empty map, as cel-go's maps do.
func (d *docMap) IsZeroValue() bool { return len(d.m) == 0 }

// Iterator implements traits.Iterable.
func (d *docMap) Iterator() traits.Iterator { return d.plain().Iterator() }

// ConvertToNative implements ref.Val.
func (d *docMap) ConvertToNative(t reflect.Type) (any, error) { return d.plain().ConvertToNative(t) }

// ConvertToType implements ref.Val.
func (d *docMap) ConvertToType(t ref.Type) ref.Val {
	if t == types.MapType {
		return d
	}
	return d.plain().ConvertToType(t)
}

// Equal implements ref.Val.
func (d *docMap) Equal(o ref.Val) ref.Val { return d.plain().Equal(o) }

// String formats the map as cel-go does.
func (d *docMap) String() string {
	if s, ok := d.plain().(interface{ String() string }); ok {
		return s.String()
	}
	return ""
}

// Type implements ref.Val.
func (d *docMap) Type() ref.Type { return types.MapType }

// Value implements ref.Val.
func (d *docMap) Value() any { return d.m }
