// Package demo holds a few fictional citizens, loaded into the embedded
// SQLite registry on first use so that clavebot can be tried at once. The
// people, DNIs and employers are invented; the CUILs have valid check
// digits.
package demo

import (
	"bytes"
	_ "embed"
)

//go:embed citizens.jsonl
var citizens []byte

// Citizens returns the demo citizens as a citizens file (CONTRACT §2), a
// fresh copy each call.
func Citizens() []byte { return bytes.Clone(citizens) }
