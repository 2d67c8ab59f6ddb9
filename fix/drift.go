package fix

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// DriftFrom describes how a live state read now differs from a recorded
// state (a fix's after-state), on the keys the live read returns — the
// recorded state may carry more, such as what a fix revoked. "" when they
// agree. Both sides are compared in their JSON form.
func DriftFrom(recorded, live map[string]any) string {
	rec, now := normalize(recorded), normalize(live)
	keys := make([]string, 0, len(now))
	for k := range now {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		if !reflect.DeepEqual(rec[k], now[k]) {
			parts = append(parts, fmt.Sprintf("%s was %s, now %s", k, compact(rec[k]), compact(now[k])))
		}
	}
	return strings.Join(parts, "; ")
}
