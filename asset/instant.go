package asset

import "time"

// Instant is a moment as Unix nanoseconds (UTC): 8 bytes where a time.Time
// takes 24, for the two times of each of the million summaries a console
// may hold. The zero Instant is the zero time (so the Unix epoch itself
// reads as the zero time); like the store's encoding it covers the years
// 1678 to 2262. Its JSON is time.Time's, in UTC.
type Instant int64

// InstantOf returns t as an Instant (dropping its location and monotonic
// reading).
func InstantOf(t time.Time) Instant {
	if t.IsZero() {
		return 0
	}
	return Instant(t.UnixNano())
}

// Time returns the instant as a UTC time.Time (the zero time for zero).
func (i Instant) Time() time.Time {
	if i == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(i)).UTC()
}

// IsZero reports whether i is the zero time.
func (i Instant) IsZero() bool { return i == 0 }

// MarshalJSON writes the instant as time.Time does, in UTC.
func (i Instant) MarshalJSON() ([]byte, error) { return i.Time().MarshalJSON() }

// UnmarshalJSON reads a time as time.Time does.
func (i *Instant) UnmarshalJSON(b []byte) error {
	var t time.Time
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	*i = InstantOf(t)
	return nil
}
