package registry

import "time"

// Policy holds the configurable rules of CONTRACT §5.
type Policy struct {
	KeyMinLen   int      // 8
	KeyMaxLen   int      // 15
	Validation  LockRule // 3 failed validations lock for 4 h, doubling for repeated locks up to a week
	WrongKeys   LockRule // 5 wrong keys lock for 30 min
	Questions   int      // identity questions asked, all must be right: 3
	IdleTimeout time.Duration
}

// DefaultPolicy is CONTRACT §5.
func DefaultPolicy() Policy {
	return Policy{
		KeyMinLen:   8,
		KeyMaxLen:   15,
		Validation:  LockRule{Max: 3, For: 4 * time.Hour, MaxFor: 7 * 24 * time.Hour},
		WrongKeys:   LockRule{Max: 5, For: 30 * time.Minute},
		Questions:   3,
		IdleTimeout: 15 * time.Minute,
	}
}
