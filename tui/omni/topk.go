package omni

// topK keeps the k best scored candidates in a min-heap whose root is the
// worst one kept, so each offer costs O(log k) and most cost one compare.
type topK struct {
	k int
	h []scored
}

func (t *topK) full() bool { return len(t.h) >= t.k }

func (t *topK) offer(s scored) {
	if len(t.h) < t.k {
		t.h = append(t.h, s)
		t.up(len(t.h) - 1)
		return
	}
	if !better(s, t.h[0]) {
		return
	}
	t.h[0] = s
	t.down(0)
}

// worse is the heap order: the root is the worst.
func (t *topK) worse(i, j int) bool { return better(t.h[j], t.h[i]) }

func (t *topK) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !t.worse(i, p) {
			return
		}
		t.h[i], t.h[p] = t.h[p], t.h[i]
		i = p
	}
}

func (t *topK) down(i int) {
	n := len(t.h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && t.worse(r, l) {
			m = r
		}
		if !t.worse(m, i) {
			return
		}
		t.h[i], t.h[m] = t.h[m], t.h[i]
		i = m
	}
}
