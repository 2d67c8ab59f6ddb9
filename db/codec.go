package db

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// errCorrupt reports a value that does not decode; it names no content.
var errCorrupt = errors.New("corrupt record")

// zeroTime is how a zero time.Time is stored: UnixNano is undefined for it.
const zeroTime = math.MinInt64

// Value tags of the attribute encoding.
const (
	tagNil byte = iota
	tagFalse
	tagTrue
	tagInt
	tagFloat
	tagString
	tagList
	tagMap
)

// enc appends a compact binary encoding to a byte slice.
type enc struct{ b []byte }

func (e *enc) byte1(c byte)     { e.b = append(e.b, c) }
func (e *enc) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *enc) fixed64(v uint64) { e.b = binary.BigEndian.AppendUint64(e.b, v) }

func (e *enc) str(s string) {
	e.uvarint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *enc) time(t time.Time) { e.fixed64(uint64(timeNanos(t))) }

// instant writes i as time writes i.Time().
func (e *enc) instant(i asset.Instant) {
	n := int64(i)
	if i.IsZero() {
		n = zeroTime
	}
	e.fixed64(uint64(n))
}

func (e *enc) tags(m map[string]string) {
	e.uvarint(uint64(len(m)))
	for k, v := range m {
		e.str(k)
		e.str(v)
	}
}

// value encodes a JSON-compatible document value. Go types outside the
// asset contract are normalised (ints to int64, typed slices and maps to
// their generic forms); anything else goes through encoding/json.
func (e *enc) value(v any) error {
	switch t := v.(type) {
	case nil:
		e.byte1(tagNil)
	case bool:
		if t {
			e.byte1(tagTrue)
		} else {
			e.byte1(tagFalse)
		}
	case int64:
		e.byte1(tagInt)
		e.varint(t)
	case int:
		e.byte1(tagInt)
		e.varint(int64(t))
	case int32:
		e.byte1(tagInt)
		e.varint(int64(t))
	case uint32:
		e.byte1(tagInt)
		e.varint(int64(t))
	case float64:
		e.byte1(tagFloat)
		e.fixed64(math.Float64bits(t))
	case float32:
		e.byte1(tagFloat)
		e.fixed64(math.Float64bits(float64(t)))
	case string:
		e.byte1(tagString)
		e.str(t)
	case []any:
		e.byte1(tagList)
		e.uvarint(uint64(len(t)))
		for _, x := range t {
			if err := e.value(x); err != nil {
				return err
			}
		}
	case map[string]any:
		e.byte1(tagMap)
		e.uvarint(uint64(len(t)))
		for k, x := range t {
			e.str(k)
			if err := e.value(x); err != nil {
				return err
			}
		}
	case []string:
		e.byte1(tagList)
		e.uvarint(uint64(len(t)))
		for _, s := range t {
			e.byte1(tagString)
			e.str(s)
		}
	case map[string]string:
		e.byte1(tagMap)
		e.uvarint(uint64(len(t)))
		for k, s := range t {
			e.str(k)
			e.byte1(tagString)
			e.str(s)
		}
	default:
		return e.viaJSON(v)
	}
	return nil
}

// viaJSON normalises an unusual Go value through its JSON form.
func (e *enc) viaJSON(v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode attribute of type %T: %w", v, err)
	}
	var generic any
	if err := json.Unmarshal(raw, &generic); err != nil {
		return fmt.Errorf("encode attribute of type %T: %w", v, err)
	}
	return e.value(normaliseJSON(generic))
}

// normaliseJSON turns whole float64 numbers from encoding/json into int64,
// as the asset contract keeps integers as int64.
func normaliseJSON(v any) any {
	switch t := v.(type) {
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1<<53 {
			return int64(t)
		}
	case []any:
		for i := range t {
			t[i] = normaliseJSON(t[i])
		}
	case map[string]any:
		for k := range t {
			t[k] = normaliseJSON(t[k])
		}
	}
	return v
}

// dec reads what enc wrote. Strings are substrings of one backing string
// (src), so a decoded record costs one allocation for all its text.
type dec struct {
	b   []byte
	src string // the same bytes as b, as a string
	off int
	err error
}

func newDec(b []byte) *dec { return &dec{b: b, src: string(b)} }

func (d *dec) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.off = len(d.b)
}

func (d *dec) byte1() byte {
	if d.off >= len(d.b) {
		d.fail()
		return 0
	}
	c := d.b[d.off]
	d.off++
	return c
}

func (d *dec) uvarint() uint64 {
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.off += n
	return v
}

func (d *dec) varint() int64 {
	v, n := binary.Varint(d.b[d.off:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.off += n
	return v
}

func (d *dec) fixed64() uint64 {
	if d.off+8 > len(d.b) {
		d.fail()
		return 0
	}
	v := binary.BigEndian.Uint64(d.b[d.off:])
	d.off += 8
	return v
}

func (d *dec) str() string {
	n := d.uvarint()
	if n > uint64(len(d.b)-d.off) {
		d.fail()
		return ""
	}
	s := d.src[d.off : d.off+int(n)]
	d.off += int(n)
	return s
}

func (d *dec) time() time.Time { return nanosTime(int64(d.fixed64())) }

// instant reads what enc.instant (or enc.time) wrote.
func (d *dec) instant() asset.Instant {
	n := int64(d.fixed64())
	if n == zeroTime {
		return 0
	}
	return asset.Instant(n)
}

func (d *dec) tags() map[string]string {
	n := d.uvarint()
	if n == 0 || n > uint64(len(d.b)) {
		if n != 0 {
			d.fail()
		}
		return nil
	}
	m := make(map[string]string, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		k := d.str()
		m[k] = d.str()
	}
	return m
}

func (d *dec) value() any {
	switch d.byte1() {
	case tagNil:
		return nil
	case tagFalse:
		return false
	case tagTrue:
		return true
	case tagInt:
		return d.varint()
	case tagFloat:
		return math.Float64frombits(d.fixed64())
	case tagString:
		return d.str()
	case tagList:
		n := d.uvarint()
		if n > uint64(len(d.b)-d.off) {
			d.fail()
			return nil
		}
		l := make([]any, n)
		for i := range l {
			l[i] = d.value()
		}
		return l
	case tagMap:
		n := d.uvarint()
		if n > uint64(len(d.b)-d.off) {
			d.fail()
			return nil
		}
		m := make(map[string]any, n)
		for i := uint64(0); i < n && d.err == nil; i++ {
			k := d.str()
			m[k] = d.value()
		}
		return m
	default:
		d.fail()
		return nil
	}
}

func timeNanos(t time.Time) int64 {
	if t.IsZero() {
		return zeroTime
	}
	return t.UnixNano()
}

func nanosTime(n int64) time.Time {
	if n == zeroTime {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
