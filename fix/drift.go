package fix

// DriftFrom describes how a live state read now differs from a recorded
// state (a fix's after-state), on the keys the live read returns — the
// recorded state may carry more, such as what a fix revoked. "" when they
// agree. Both sides are compared in their JSON form.
func DriftFrom(recorded, live map[string]any) string {
	rec, now := normalize(recorded), normalize(live)
	onLive := make(map[string]any, len(now))
	for k := range now {
		onLive[k] = rec[k]
	}
	return diff(onLive, now)
}
