package registry

import "time"

// Policy holds the configurable rules of CONTRACT §5.
type Policy struct {
	KeyMinLen  int      // 8
	KeyMaxLen  int      // 15
	Validation LockRule // 3 failed validations lock for 4 h, doubling for repeated locks up to a week
	// WrongKeys: 5 wrong keys lock for 30 min; for strangers' sources
	// (LockKey) a lock soon after another doubles, up to a day (KeyRule).
	WrongKeys LockRule
	// ContactCodes: 5 wrong codes verifying a new contact stop new
	// contacts for 30 min (zero: that default).
	ContactCodes LockRule
	Questions    int // identity questions asked, all must be right: 3
	IdleTimeout  time.Duration
}

// DefaultPolicy is CONTRACT §5.
// MessageArgs are the policy's values as the catalog's answers name them
// ({min}, {max}; the locks' {keys}, {key_minutes}, {validations},
// {validation_hours}): the bot's answers and the desk's canned ones quote
// the policy in force, not a fixed one.
func (p Policy) MessageArgs() []any {
	return []any{"min", p.KeyMinLen, "max", p.KeyMaxLen,
		"keys", p.WrongKeys.Max, "key_minutes", int(p.WrongKeys.For.Minutes()),
		"validations", p.Validation.Max, "validation_hours", int(p.Validation.For.Hours())}
}

var defaultContactCodes = LockRule{Max: 5, For: 30 * time.Minute}

// CodeRule is the lock a code of purpose p counts toward: a factor's
// wrong codes are failed validations (CONTRACT §5: the code is part of
// proving who one is), a new contact's wrong codes count apart.
func (p Policy) CodeRule(purpose CodePurpose) (LockKind, LockRule) {
	if purpose != CodeVerify {
		return LockValidation, p.Validation
	}
	if p.ContactCodes.Max <= 0 {
		return LockContactCode, defaultContactCodes
	}
	return LockContactCode, p.ContactCodes
}

func DefaultPolicy() Policy {
	return Policy{
		KeyMinLen:    8,
		KeyMaxLen:    15,
		Validation:   LockRule{Max: 3, For: 4 * time.Hour, MaxFor: 7 * 24 * time.Hour},
		WrongKeys:    LockRule{Max: 5, For: 30 * time.Minute, MaxFor: 24 * time.Hour},
		ContactCodes: defaultContactCodes,
		Questions:    3,
		IdleTimeout:  15 * time.Minute,
	}
}

// KeyRule is the wrong-key rule for kind. Locks of the count of strangers'
// sources (LockKey) escalate up to WrongKeys.MaxFor: at 30 minutes each,
// anyone with a CUIL could try 240 keys a day on it for ever (an attack
// probe). The citizen's own sources (LockKeyKnown) are not held longer:
// their locks are their own slips, and a stranger's tries never reach
// them.
func (p Policy) KeyRule(kind LockKind) LockRule {
	r := p.WrongKeys
	if kind == LockKeyKnown {
		r.MaxFor = 0
	}
	return r
}
