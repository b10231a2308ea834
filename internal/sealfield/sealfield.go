// Package sealfield writes the fields of a seal (an HMAC over several
// values) so that no two lists of fields give the same bytes: each is its
// length, four bytes big-endian, then the value. Without the length,
// ("ab", "c") and ("a", "bc") would share a seal, and a forger could move
// characters from one field to the next. The engine's chat proofs and the
// registry's identity-answer seals both write their fields this way; the
// bytes are what the seals in Redis were made of, so they must not change.
package sealfield

import (
	"encoding/binary"
	"hash"
	"io"
)

// Write writes v to h as one field.
func Write(h hash.Hash, v string) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(v)))
	h.Write(n[:]) // a hash.Hash never fails to write
	io.WriteString(h, v)
}

// Append appends v to b as one field, the bytes Write writes: a seal made
// every turn frames its fields into one buffer and writes that once,
// where Write costs two allocations a field (the length and the string
// passed to the hash through its interface).
func Append(b []byte, v string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(v)))
	return append(b, v...)
}
