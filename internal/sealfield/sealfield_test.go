package sealfield_test

import (
	"bytes"
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/internal/sealfield"
)

// recorder is a hash.Hash that keeps what it was given.
type recorder struct{ bytes.Buffer }

func (r *recorder) Sum(b []byte) []byte { return append(b, r.Bytes()...) }
func (r *recorder) Size() int           { return r.Len() }
func (r *recorder) BlockSize() int      { return 1 }

// TestWriteFramesEachField pins the bytes: the seals already in Redis
// (chat proofs, identity answers) were made of them.
func TestWriteFramesEachField(t *testing.T) {
	var r recorder
	sealfield.Write(&r, "ab")
	sealfield.Write(&r, "")
	sealfield.Write(&r, "ñ")
	want := []byte{0, 0, 0, 2, 'a', 'b', 0, 0, 0, 0, 0, 0, 0, 2, 0xc3, 0xb1}
	if !bytes.Equal(r.Bytes(), want) {
		t.Fatalf("wrote % x, want % x", r.Bytes(), want)
	}
}

// TestWriteSeparatesFields: moving a character from one field to the
// next changes the seal.
func TestWriteSeparatesFields(t *testing.T) {
	sum := func(fields ...string) []byte {
		h := sha256.New()
		for _, f := range fields {
			sealfield.Write(h, f)
		}
		return h.Sum(nil)
	}
	if bytes.Equal(sum("ab", "c"), sum("a", "bc")) {
		t.Fatal(`("ab", "c") and ("a", "bc") give the same sum`)
	}
}

func TestAppendIsWrite(t *testing.T) {
	fields := []string{"ab", "", "ñ", strings.Repeat("x", 300)}
	var r recorder
	var b []byte
	for _, f := range fields {
		sealfield.Write(&r, f)
		b = sealfield.Append(b, f)
	}
	if !bytes.Equal(b, r.Bytes()) {
		t.Fatalf("Append gave % x, Write % x", b, r.Bytes())
	}
}
