package registry

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"io"
	"strings"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
)

// A new key is typed twice. Between the two entries the engine keeps, in
// the chat's state, a seal of the first: an HMAC-SHA256 of the key under a
// key derived from the deployment's secret and a random nonce. The second
// entry is checked against the seal in constant time, and argon2id runs
// once, on the confirmed key, for the hash that is stored: a key creation
// costs one argon2id evaluation instead of two (hash when typed, compare
// when confirmed), and hashing is the machine's ceiling. The seal is also
// worth less to a thief than the argon2id hash kept before: whoever reads
// the chat states (Redis) could attack a hash offline, but cannot test a
// single guess against a seal without the secret, which is never in Redis.

const (
	sealVersion  = "s1"
	sealNonceLen = 12
)

// WithSecret derives the key of new keys' seals from the deployment's
// secret (CLAVEBOT_QUESTION_SECRET, or the one kept in the database): every
// replica must be given the same, since the entry and its confirmation may
// reach different replicas. Without it the key is derived from the seed
// (NewService).
func WithSecret(secret string) ServiceOption {
	return func(s *Service) { s.sealKey = deriveSealKey([]byte(secret)) }
}

// seedSealKey is the seal key of a Service given no secret.
func seedSealKey(seed uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seed)
	return deriveSealKey(b[:])
}

func deriveSealKey(secret []byte) []byte {
	mac := hmac.New(sha256.New, secret)
	io.WriteString(mac, "clavebot new-key seal v1")
	return mac.Sum(nil)
}

func (s *Service) sealMAC(nonce []byte, key string) []byte {
	mac := hmac.New(sha256.New, s.sealKey)
	mac.Write(nonce)
	io.WriteString(mac, keyForm(key))
	return mac.Sum(nil)
}

// SealNewKey returns the seal of a new key typed once, to be kept until the
// key is typed again (StoreSealedKey).
func (s *Service) SealNewKey(key string) string {
	nonce := make([]byte, sealNonceLen)
	rand.Read(nonce) // crypto/rand does not fail on supported platforms
	enc := base64.RawURLEncoding
	return sealVersion + "." + enc.EncodeToString(nonce) + "." + enc.EncodeToString(s.sealMAC(nonce, key))
}

// sealMatches reports whether key is the key sealed in seal. A seal that is
// not one (corrupt, or made by a replica with another secret) matches no key.
func (s *Service) sealMatches(seal, key string) bool {
	parts := strings.Split(seal, ".")
	if len(parts) != 3 || parts[0] != sealVersion {
		return false
	}
	enc := base64.RawURLEncoding
	nonce, err1 := enc.DecodeString(parts[1])
	sum, err2 := enc.DecodeString(parts[2])
	if err1 != nil || err2 != nil || len(nonce) != sealNonceLen {
		return false
	}
	return hmac.Equal(sum, s.sealMAC(nonce, key))
}

// StoreSealedKey stores key as cuil's key when it is the key sealed in seal
// (the person typed the same twice), hashing it with argon2id and writing
// the audit event for action (see SetKey), recorded as confirmed from
// seal (see KeyStored). It reports false, storing
// nothing, when the two entries differ; errs.Unavailable when hashing is
// saturated (the person may confirm again: the seal is still good).
//
// over, when not zero, is when the key the chat proved was set (a change):
// the key is stored only if it is still that one, else errs.Conflict. The
// chat's check of it before (keyStillProved) left the time of the hashing
// between the check and the write, in which another chat's key was
// replaced (two chats changing at once on two replicas: both stored, both
// told so, two audit entries, the last one's key kept).
func (s *Service) StoreSealedKey(ctx context.Context, cuil CUIL, seal, key string, over time.Time, action Action, channel string) (bool, error) {
	if !s.sealMatches(seal, key) {
		return false, nil
	}
	phc, err := s.hasher.Hash(ctx, key)
	if err != nil {
		return false, errs.Wrap("store sealed key", err)
	}
	origin, _ := sealOrigin(seal)
	if err := s.saveKey(ctx, cuil, KeySave{Hash: phc, Origin: origin, Over: over}, action, channel); err != nil {
		return false, errs.Wrap("store sealed key", err)
	}
	return true, nil
}

// sealOrigin is what a key stored from seal is recorded as confirmed as
// (KeySave.Origin): the seal's nonce, random, which tells nothing of the
// key.
func sealOrigin(seal string) (string, bool) {
	parts := strings.Split(seal, ".")
	if len(parts) != 3 || parts[0] != sealVersion || parts[1] == "" {
		return "", false
	}
	return sealVersion + "." + parts[1], true
}

// DerivedKey is a key for purpose derived from the deployment's secret
// (the seal key's own source): what another part of the service keys
// with it (the outbox's sealed messages) every replica derives alike, and
// neither Redis nor the database holds.
func (s *Service) DerivedKey(purpose string) []byte {
	mac := hmac.New(sha256.New, s.sealKey)
	io.WriteString(mac, "clavebot derived key\x00"+purpose)
	return mac.Sum(nil)
}
