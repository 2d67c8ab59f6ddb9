//go:build !linux

package db

// ReleaseMappedPages does nothing outside Linux: it returns 0. See the
// Linux version.
func (s *Store) ReleaseMappedPages() (int64, error) { return 0, nil }
