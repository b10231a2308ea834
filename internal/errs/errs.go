// Package errs is clavebot's error vocabulary: a few kinds that every layer
// may use, so a caller can tell "try again later" from "no such CUIL"
// without knowing where an error came from. It imports nothing of the
// project, so any package can use it (as upspin's errors or wtf's root
// package do).
package errs

import (
	"errors"
	"fmt"
)

// Kind classifies an error so callers can react without knowing its source.
type Kind int

// The error kinds. Every layer wraps infrastructure errors with one of
// these.
const (
	Other       Kind = iota
	Invalid          // the input breaks a rule
	NotFound         // no such record
	Conflict         // the record is in a state that forbids this
	Locked           // too many failures; wait
	Unavailable      // a dependency is down or saturated; retry later
)

func (k Kind) String() string {
	switch k {
	case Invalid:
		return "invalid"
	case NotFound:
		return "not found"
	case Conflict:
		return "conflict"
	case Locked:
		return "locked"
	case Unavailable:
		return "unavailable"
	}
	return "error"
}

// Error is an error with a Kind, an operation and an optional cause.
type Error struct {
	Kind Kind
	Op   string
	Err  error
}

func (e *Error) Error() string {
	switch {
	case e.Err == nil:
		return fmt.Sprintf("%s: %s", e.Op, e.Kind)
	case e.Op == "":
		return e.Err.Error()
	}
	return fmt.Sprintf("%s: %v", e.Op, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error.
func E(kind Kind, op string, err error) error { return &Error{Kind: kind, Op: op, Err: err} }

// New returns a sentinel error of kind with the message msg: compare it
// with errors.Is, classify it with Is.
func New(kind Kind, msg string) error { return &Error{Kind: kind, Err: errors.New(msg)} }

// KindOf returns the kind of the first *Error in err's chain, or Other.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Other
}

// Is reports whether err has the given kind.
func Is(kind Kind, err error) bool { return err != nil && KindOf(err) == kind }

// Wrap adds op to err, keeping its kind; nil stays nil.
func Wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return E(KindOf(err), op, err)
}
