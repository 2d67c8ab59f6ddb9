package omni

import "unicode/utf8"

// Field names a hit's Field can take besides "tags.<key>".
const (
	FieldName    = "name"
	FieldID      = "id"
	FieldType    = "type"
	FieldAccount = "account"
	FieldRegion  = "region"
)

// fieldAt names the field of it's search line (see appendLine) that holds
// byte off, or "" when off is outside the line.
func fieldAt(it *Item, off int) string {
	if off < 0 {
		return ""
	}
	var b []byte
	var name string
	end := func(s, n string) bool {
		b = appendField(b, 0, s)
		name = n
		return s != "" && off < len(b)
	}
	if it.Title != it.ID && end(it.Title, FieldName) {
		return name
	}
	if end(it.ID, FieldID) || end(it.Type, FieldType) || end(it.Account, FieldAccount) || end(it.Region, FieldRegion) {
		return name
	}
	for k, v := range it.Tags.All() {
		if k == "Name" && v == it.Title {
			continue
		}
		b = appendField(b, 0, k)
		if v != "" {
			b = append(b, '=')
			b = append(b, clean(v)...)
		}
		if off < len(b) {
			return "tags." + k
		}
	}
	return ""
}

// runePositions turns byte offsets in line into rune positions.
func runePositions(line string, bytePos []int) []int {
	if isASCII([]byte(line)) {
		return bytePos
	}
	out := make([]int, 0, len(bytePos))
	r, at := 0, 0
	for _, p := range bytePos {
		for at < p && at < len(line) {
			_, n := utf8.DecodeRuneInString(line[at:])
			at += n
			r++
		}
		if at == p {
			out = append(out, r)
		}
	}
	return out
}
