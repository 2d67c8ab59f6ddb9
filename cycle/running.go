package cycle

// runningScan is the cycle's scan in progress, for sessions that did not
// start it: who started it and its newest progress.
type runningScan struct {
	by string
	p  Progress
}

// watch passes progress on to fn (which may be nil) and keeps the newest
// for every session to see.
func (c *Cycle) watch(by string, fn func(Progress)) func(Progress) {
	return func(p Progress) {
		c.running.Store(&runningScan{by: by, p: p})
		if fn != nil {
			fn(p)
		}
	}
}

// RunningScan is the progress of the scan running now and who started it
// (a user's name, "schedule"); false when none runs.
func (c *Cycle) RunningScan() (Progress, string, bool) {
	r := c.running.Load()
	if r == nil {
		return Progress{}, "", false
	}
	return r.p, r.by, true
}

// RunningScan is the cycle's scan in progress, whoever started it.
func (b *Backend) RunningScan() (Progress, string, bool) { return b.C.RunningScan() }
