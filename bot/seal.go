package bot

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
)

// A one-time code sent by a channel (a phone's code, on WhatsApp) goes
// through the outbox like any out-of-turn message, and the outbox keeps
// what it is given in Redis until it is sent: held for a closed WhatsApp
// window, retried, kept to be put back on a late failure, buried as a
// dead letter the desk lists. A code kept there in clear was readable by
// whoever reads Redis or its backups, and by a supervisor on the desk's
// undelivered list, while it could still be typed (found by an attack
// probe). A secret message is sealed before it is stored, under a key
// the replicas derive from the deployment's secret and Redis never holds,
// and opened by the process that sends it.

// Sealer seals and opens the text of secret messages (AES-256-GCM).
type Sealer struct{ aead cipher.AEAD }

// NewSealer returns a Sealer keyed by secret, the deployment's secret:
// every replica given the same secret opens what any of them sealed.
func NewSealer(secret []byte) (*Sealer, error) {
	if len(secret) == 0 {
		return nil, errors.New("bot: sealer: empty secret")
	}
	mac := hmac.New(sha256.New, secret)
	io.WriteString(mac, "clavebot outbox secret messages v1")
	block, err := aes.NewCipher(mac.Sum(nil))
	if err != nil {
		return nil, fmt.Errorf("bot: sealer: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("bot: sealer: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

// sealedPrefix names the form of a sealed text.
const sealedPrefix = "sealed.v1."

// seal returns text sealed, bound to the message's key: a sealed text
// moved to another message opens nowhere.
func (s *Sealer) seal(key, text string) string {
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce) // crypto/rand does not fail on supported platforms
	out := s.aead.Seal(nonce, nonce, []byte(text), []byte(key))
	return sealedPrefix + base64.RawURLEncoding.EncodeToString(out)
}

// errUnsealed is a sealed message this process cannot open: sealed under
// another secret, or damaged.
var errUnsealed = errors.New("bot: a sealed message does not open here")

// open returns the text sealed under key.
func (s *Sealer) open(key, sealed string) (string, error) {
	if s == nil || len(sealed) < len(sealedPrefix) || sealed[:len(sealedPrefix)] != sealedPrefix {
		return "", errUnsealed
	}
	raw, err := base64.RawURLEncoding.DecodeString(sealed[len(sealedPrefix):])
	if err != nil || len(raw) < s.aead.NonceSize() {
		return "", errUnsealed
	}
	n := s.aead.NonceSize()
	text, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(key))
	if err != nil {
		return "", errUnsealed
	}
	return string(text), nil
}

// Seal returns text sealed, bound to key, for what keeps a person's
// message in Redis outside the outbox (bot/inbox).
func (s *Sealer) Seal(key, text string) string { return s.seal(key, text) }

// Open returns the text Seal sealed under key.
func (s *Sealer) Open(key, sealed string) (string, error) { return s.open(key, sealed) }
