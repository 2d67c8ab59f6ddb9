package rules

import (
	"reflect"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"

	"github.com/vigil-sec/vigil/asset"
)

// docVal is `resource` as CEL sees it: asset.Asset.Doc without building the
// merged map. Key lookups read the identity fields or the attributes in
// place; whole-map operations (iteration, size, equality, conversion) build
// the merged document once. It belongs to one evaluation goroutine.
type docVal struct {
	traits.Mapper // the attributes: &attrs
	attrs         docMap
	a             *asset.Asset
	full          traits.Mapper
	doc           map[string]any
	tags          ref.Val
	ident         [5]ref.Val // id, type, name, account, region, boxed on first read
}

var _ traits.Mapper = (*docVal)(nil)

func newDocVal(a *asset.Asset) *docVal {
	d := &docVal{}
	d.reset(a)
	return d
}

// reset points d at another asset, dropping what it built for the last.
func (d *docVal) reset(a *asset.Asset) {
	attrs := a.Attrs
	if attrs == nil {
		attrs = map[string]any{}
	}
	*d = docVal{attrs: docMap{m: attrs}, a: a}
	d.Mapper = &d.attrs
}

// document returns the merged document, built on first use.
func (d *docVal) document() map[string]any {
	if d.doc == nil {
		d.doc = d.a.Doc()
	}
	return d.doc
}

func (d *docVal) merged() traits.Mapper {
	if d.full == nil {
		d.full = &docMap{m: d.document()}
	}
	return d.full
}

// identity returns an identity field, which wins over an attribute of the
// same name.
func (d *docVal) identity(key ref.Val) (ref.Val, bool) {
	k, ok := key.(types.String)
	if !ok {
		return nil, false
	}
	switch string(k) {
	case "id":
		return d.identString(0, d.a.ID), true
	case "type":
		return d.identString(1, d.a.Type), true
	case "name":
		return d.identString(2, d.a.Name), true
	case "account":
		return d.identString(3, d.a.Account), true
	case "region":
		return d.identString(4, d.a.Region), true
	case "tags":
		if d.tags == nil {
			tags := d.a.Tags
			if tags == nil {
				tags = map[string]string{}
			}
			d.tags = &stringMapVal{m: tags}
		}
		return d.tags, true
	}
	return nil, false
}

// identString returns identity field i as a CEL string, boxed once.
func (d *docVal) identString(i int, s string) ref.Val {
	if d.ident[i] == nil {
		d.ident[i] = types.String(s)
	}
	return d.ident[i]
}

// Find implements traits.Mapper.
func (d *docVal) Find(key ref.Val) (ref.Val, bool) {
	if v, ok := d.identity(key); ok {
		return v, true
	}
	return d.Mapper.Find(key)
}

// Get implements traits.Indexer.
func (d *docVal) Get(key ref.Val) ref.Val {
	if v, ok := d.identity(key); ok {
		return v
	}
	return d.Mapper.Get(key)
}

// Contains implements traits.Container.
func (d *docVal) Contains(key ref.Val) ref.Val {
	if _, ok := d.identity(key); ok {
		return types.True
	}
	if k, ok := key.(types.String); ok {
		_, found := d.a.Attrs[string(k)]
		return types.Bool(found)
	}
	return d.Mapper.Contains(key)
}

// Size implements traits.Sizer.
func (d *docVal) Size() ref.Val { return d.merged().Size() }

// Iterator implements traits.Iterable.
func (d *docVal) Iterator() traits.Iterator { return d.merged().Iterator() }

// ConvertToNative implements ref.Val.
func (d *docVal) ConvertToNative(t reflect.Type) (any, error) { return d.merged().ConvertToNative(t) }

// ConvertToType implements ref.Val.
func (d *docVal) ConvertToType(t ref.Type) ref.Val { return d.merged().ConvertToType(t) }

// Equal implements ref.Val.
func (d *docVal) Equal(o ref.Val) ref.Val { return d.merged().Equal(o) }

// Type implements ref.Val.
func (d *docVal) Type() ref.Type { return types.MapType }

// Value implements ref.Val: the merged document.
func (d *docVal) Value() any { return d.document() }
