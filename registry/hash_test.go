package registry_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// cheap are test parameters: argon2id's cost is not under test.
var cheap = registry.HashParams{Memory: 64, Time: 1, Threads: 1}

func TestDefaultHashParamsMeetOWASP(t *testing.T) {
	p := registry.DefaultHashParams
	if p.Memory < 19456 || p.Time < 2 || p.Threads < 1 {
		t.Fatalf("DefaultHashParams %+v are below OWASP's m=19456, t=2, p=1", p)
	}
}

var phcPattern = regexp.MustCompile(`^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashRoundTrip(t *testing.T) {
	ctx := context.Background()
	h := registry.NewHasher(cheap, 2)
	phc, err := h.Hash(ctx, "Tomate#Azul42")
	if err != nil {
		t.Fatal(err)
	}
	if !phcPattern.MatchString(phc) {
		t.Fatalf("hash %q is not PHC argon2id with a 16-byte salt and 32-byte key", phc)
	}
	tests := []struct {
		name, key string
		want      bool
	}{
		{"right", "Tomate#Azul42", true},
		{"wrong", "Tomate#Azul43", false},
		{"case", "tomate#azul42", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, stale, err := h.Compare(ctx, phc, tt.key)
			if err != nil || ok != tt.want || stale {
				t.Fatalf("Compare = %v, %v, %v; want %v, false, nil", ok, stale, err, tt.want)
			}
		})
	}
}

func TestHashSalted(t *testing.T) {
	h := registry.NewHasher(cheap, 1)
	a, _ := h.Hash(context.Background(), "Tomate#Azul42")
	b, _ := h.Hash(context.Background(), "Tomate#Azul42")
	if a == b {
		t.Fatal("two hashes of one key are equal: the salt is not random")
	}
}

// TestCompareForeignPHC checks interoperability: a PHC string built here
// straight from argon2.IDKey, with other parameters and lengths, verifies.
func TestCompareForeignPHC(t *testing.T) {
	salt := make([]byte, 12)
	rand.Read(salt)
	sum := argon2.IDKey([]byte("Cebra7Lunes"), salt, 2, 128, 2, 24)
	b64 := base64.RawStdEncoding
	phc := fmt.Sprintf("$argon2id$v=19$m=128,t=2,p=2$%s$%s", b64.EncodeToString(salt), b64.EncodeToString(sum))
	ok, stale, err := registry.NewHasher(cheap, 1).Compare(context.Background(), phc, "Cebra7Lunes")
	if err != nil || !ok {
		t.Fatalf("Compare = %v, %v", ok, err)
	}
	if !stale {
		t.Error("a 12-byte salt and 24-byte key should count as stale")
	}
}

func TestCompareStale(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		old, want registry.HashParams
		stale     bool
	}{
		{"same", cheap, cheap, false},
		{"less memory", cheap, registry.HashParams{Memory: 128, Time: 1, Threads: 1}, true},
		{"less time", cheap, registry.HashParams{Memory: 64, Time: 2, Threads: 1}, true},
		{"fewer threads", cheap, registry.HashParams{Memory: 64, Time: 1, Threads: 2}, true},
		{"stronger than wanted", registry.HashParams{Memory: 128, Time: 2, Threads: 1}, cheap, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			phc, err := registry.NewHasher(tt.old, 1).Hash(ctx, "Cebra7Lunes")
			if err != nil {
				t.Fatal(err)
			}
			ok, stale, err := registry.NewHasher(tt.want, 1).Compare(ctx, phc, "Cebra7Lunes")
			if err != nil || !ok || stale != tt.stale {
				t.Fatalf("Compare = %v, %v, %v; want true, %v, nil", ok, stale, err, tt.stale)
			}
		})
	}
}

func TestCompareMalformed(t *testing.T) {
	good, _ := registry.NewHasher(cheap, 1).Hash(context.Background(), "Cebra7Lunes")
	salt, sum := "c2FsdHNhbHRzYWx0c2FsdA", "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
	tests := map[string]string{
		"empty":          "",
		"plain text":     "Cebra7Lunes",
		"argon2i":        "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + sum,
		"bcrypt":         "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"old version":    "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + sum,
		"no version":     "$argon2id$m=64,t=1,p=1$" + salt + "$" + sum,
		"params order":   "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + sum,
		"zero time":      "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + sum,
		"zero threads":   "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + sum,
		"huge memory":    "$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + sum,
		"huge time":      "$argon2id$v=19$m=64,t=100000,p=1$" + salt + "$" + sum,
		"trailing junk":  "$argon2id$v=19$m=64,t=1,p=1x$" + salt + "$" + sum,
		"bad salt":       "$argon2id$v=19$m=64,t=1,p=1$!!!!$" + sum,
		"padded base64":  "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + sum,
		"short hash":     "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$aGFzaA",
		"missing field":  "$argon2id$v=19$m=64,t=1,p=1$" + salt,
		"extra field":    good + "$x",
		"no leading $":   good[1:],
		"truncated hash": good[:len(good)-10],
	}
	for name, phc := range tests {
		t.Run(name, func(t *testing.T) {
			ok, _, err := registry.NewHasher(cheap, 1).Compare(context.Background(), phc, "Cebra7Lunes")
			if ok || !errs.Is(errs.Invalid, err) || !errors.Is(err, registry.ErrHashFormat) {
				t.Fatalf("Compare(%q) = %v, %v; want Invalid ErrHashFormat", phc, ok, err)
			}
		})
	}
}

func TestHashContextDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h := registry.NewHasher(cheap, 1)
	if _, err := h.Hash(ctx, "Cebra7Lunes"); !errs.Is(errs.Unavailable, err) || !errors.Is(err, context.Canceled) {
		t.Errorf("Hash with a done context: %v, want Unavailable wrapping context.Canceled", err)
	}
	phc, _ := h.Hash(context.Background(), "Cebra7Lunes")
	if _, _, err := h.Compare(ctx, phc, "Cebra7Lunes"); !errs.Is(errs.Unavailable, err) {
		t.Errorf("Compare with a done context: %v, want Unavailable", err)
	}
}

// BenchmarkHash measures one argon2id hash with the production parameters:
// the cost of every key created, changed or verified.
func BenchmarkHash(b *testing.B) {
	h := registry.NewHasher(registry.DefaultHashParams, 1)
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.Hash(ctx, "Tomate#Azul42"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHashParallel measures throughput with one slot per CPU, the
// ceiling of key verifications per second on this machine.
func BenchmarkHashParallel(b *testing.B) {
	h := registry.NewHasher(registry.DefaultHashParams, runtime.GOMAXPROCS(0))
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := h.Hash(ctx, "Tomate#Azul42"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkCompare(b *testing.B) {
	h := registry.NewHasher(registry.DefaultHashParams, 1)
	ctx := context.Background()
	phc, _ := h.Hash(ctx, "Tomate#Azul42")
	for b.Loop() {
		if ok, _, err := h.Compare(ctx, phc, "Tomate#Azul42"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// TestCompareKeyAsAnyDeviceTypesIt: "Zórzal7135" is two byte strings, the
// ó one code point (NFC, most phones) or an o and a combining accent (NFD,
// some keyboards and pastes). The key created in one was "wrong" typed in
// the other, and "Las dos claves no coinciden" when the confirmation came
// in the other form (a data probe). A key is hashed and compared in NFC;
// a hash made before of a key in another form still verifies with it.
func TestCompareKeyAsAnyDeviceTypesIt(t *testing.T) {
	ctx := context.Background()
	const nfc, nfd = "Z\u00f3rzal7135", "Zo\u0301rzal7135"
	h := registry.NewHasher(cheap, 1)
	for _, tt := range []struct{ stored, typed string }{{nfc, nfd}, {nfd, nfc}, {nfc, nfc}} {
		phc, err := h.Hash(ctx, tt.stored)
		if err != nil {
			t.Fatal(err)
		}
		if ok, _, err := h.Compare(ctx, phc, tt.typed); err != nil || !ok {
			t.Errorf("stored %+q, typed %+q: Compare = %v, %v; want true", tt.stored, tt.typed, ok, err)
		}
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	sum := argon2.IDKey([]byte(nfd), salt, 1, 64, 1, 32)
	b64 := base64.RawStdEncoding
	legacy := fmt.Sprintf("$argon2id$v=19$m=64,t=1,p=1$%s$%s", b64.EncodeToString(salt), b64.EncodeToString(sum))
	if ok, _, err := h.Compare(ctx, legacy, nfd); err != nil || !ok {
		t.Errorf("a hash of the key's bytes as typed before: Compare = %v, %v; want true", ok, err)
	}
	if ok, _, _ := h.Compare(ctx, legacy, "Zorzal7135"); ok {
		t.Error("the key without its accent matched")
	}
}
