package serve

import (
	"fmt"
	"sort"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/vigil-sec/vigil/asset"
)

// Session is one live SSH session.
type Session struct {
	SessionInfo
	mu   sync.Mutex
	p    *tea.Program  // the console's program; nil for a command
	idle time.Duration // set when the console was closed for being idle this long
}

// idleFor is how long the console sat idle before the server closed it (0:
// it was not closed for that).
func (s *Session) idleFor() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.idle
}

// SessionInfo is what `vigil sessions` shows of a session.
type SessionInfo struct {
	ID    int       `json:"id"`
	User  string    `json:"user"`
	Role  string    `json:"role"`
	Key   string    `json:"key"`
	From  string    `json:"from"`
	What  string    `json:"what"`
	Since time.Time `json:"since"`
}

func (s *Session) setProgram(p *tea.Program) {
	s.mu.Lock()
	s.p = p
	s.mu.Unlock()
}

// registry holds the live sessions.
type registry struct {
	mu   sync.Mutex
	next int
	m    map[int]*Session
	shut string // set once shutting down: why
}

func newRegistry() *registry { return &registry{m: map[int]*Session{}} }

func (r *registry) add(a asset.Actor, from, what string, max int) (*Session, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.shut != "" {
		return nil, fmt.Errorf("the server is shutting down (%s)", r.shut)
	}
	if len(r.m) >= max {
		return nil, fmt.Errorf("too many sessions (%d, serve.max_sessions); try again later", max)
	}
	r.next++
	s := &Session{SessionInfo: SessionInfo{ID: r.next, User: a.Name, Role: string(a.Role), Key: a.Key,
		From: from, What: what, Since: time.Now().UTC()}}
	r.m[s.ID] = s
	return s, nil
}

func (r *registry) remove(id int) {
	r.mu.Lock()
	delete(r.m, id)
	r.mu.Unlock()
}

func (r *registry) list() []SessionInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]SessionInfo, 0, len(r.m))
	for _, s := range r.m {
		out = append(out, s.SessionInfo)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// closeAll refuses new sessions and quits every console, printing why.
func (r *registry) closeAll(why string) {
	r.mu.Lock()
	r.shut = why
	ss := make([]*Session, 0, len(r.m))
	for _, s := range r.m {
		ss = append(ss, s)
	}
	r.mu.Unlock()
	for _, s := range ss {
		s.mu.Lock()
		p := s.p
		s.mu.Unlock()
		if p != nil {
			p.Quit()
		}
	}
}

// shuttingDown is why the server is shutting down ("" when it is not).
func (r *registry) shuttingDown() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.shut
}
