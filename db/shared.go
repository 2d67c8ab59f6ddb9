package db

// Shared returns a handle on the same open store whose Close does nothing:
// for a command run inside the process that owns the store (a console or
// `vigil serve`), which closes it itself.
func (s *Store) Shared() *Store { return &Store{dir: s.dir, st: s.st, shared: true} }
