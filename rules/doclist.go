package rules

import (
	"errors"
	"reflect"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
)

// docList is a list document value: indexing, size and iteration read the
// Go slice directly; everything else (membership, equality, concatenation,
// conversion) uses the standard cel-go wrapper, built on first use. It
// belongs to one evaluation goroutine.
type docList struct {
	l   []any
	std traits.Lister
}

var _ traits.Lister = (*docList)(nil)

func (d *docList) plain() traits.Lister {
	if d.std == nil {
		d.std = types.NewDynamicList(docAdapter{}, d.l)
	}
	return d.std
}

// Get implements traits.Indexer, as cel-go's lists do.
func (d *docList) Get(index ref.Val) ref.Val {
	i, err := types.IndexOrError(index)
	if err != nil {
		return types.ValOrErr(index, "%v", err)
	}
	if i < 0 || i >= len(d.l) {
		return types.NewErr("index '%d' out of range in list size '%d'", i, d.Size())
	}
	return docAdapter{}.NativeToValue(d.l[i])
}

// Size implements traits.Sizer.
func (d *docList) Size() ref.Val { return types.Int(len(d.l)) }

// IsZeroValue reports an empty list, as cel-go's lists do.
func (d *docList) IsZeroValue() bool { return len(d.l) == 0 }

// Iterator implements traits.Iterable.
func (d *docList) Iterator() traits.Iterator { return &docListIter{l: d.l} }

// Fold implements traits.Foldable.
func (d *docList) Fold(f traits.Folder) {
	if fl, ok := d.plain().(traits.Foldable); ok {
		fl.Fold(f)
		return
	}
	types.ToFoldableList(d.plain()).Fold(f)
}

// Add implements traits.Adder.
func (d *docList) Add(o ref.Val) ref.Val { return d.plain().Add(o) }

// Contains implements traits.Container.
func (d *docList) Contains(e ref.Val) ref.Val { return d.plain().Contains(e) }

// ConvertToNative implements ref.Val.
func (d *docList) ConvertToNative(t reflect.Type) (any, error) { return d.plain().ConvertToNative(t) }

// ConvertToType implements ref.Val.
func (d *docList) ConvertToType(t ref.Type) ref.Val {
	if t == types.ListType {
		return d
	}
	return d.plain().ConvertToType(t)
}

// Equal implements ref.Val.
func (d *docList) Equal(o ref.Val) ref.Val { return d.plain().Equal(o) }

// String formats the list as cel-go does.
func (d *docList) String() string {
	if s, ok := d.plain().(interface{ String() string }); ok {
		return s.String()
	}
	return ""
}

// Type implements ref.Val.
func (d *docList) Type() ref.Type { return types.ListType }

// Value implements ref.Val.
func (d *docList) Value() any { return d.l }

// docListIter walks a docList's elements.
type docListIter struct {
	l []any
	i int
}

// HasNext implements traits.Iterator.
func (it *docListIter) HasNext() ref.Val { return types.Bool(it.i < len(it.l)) }

// Next implements traits.Iterator.
func (it *docListIter) Next() ref.Val {
	if it.i >= len(it.l) {
		return nil
	}
	v := it.l[it.i]
	it.i++
	return docAdapter{}.NativeToValue(v)
}

// ConvertToNative implements ref.Val.
func (it *docListIter) ConvertToNative(reflect.Type) (any, error) {
	return nil, errors.New("type conversion on iterators not supported")
}

// ConvertToType implements ref.Val.
func (it *docListIter) ConvertToType(ref.Type) ref.Val { return types.NewErr("no such overload") }

// Equal implements ref.Val.
func (it *docListIter) Equal(ref.Val) ref.Val { return types.NewErr("no such overload") }

// Type implements ref.Val.
func (it *docListIter) Type() ref.Type { return types.IteratorType }

// Value implements ref.Val.
func (it *docListIter) Value() any { return nil }
