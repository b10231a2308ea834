package rest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
)

// SecretHeader carries a chat's secret. Without an API token a chat id is
// chosen by the client and may be guessed, so it is not a credential: the
// first POST /v1/chat of a chat returns a secret (in this header and as
// "chat_secret"), and reading the chat's pushed messages requires it.
const SecretHeader = "X-Chat-Secret"

// secretTTL keeps a chat's secret as long as a chat can wait for an agent,
// from its last use.
const secretTTL = 8 * 24 * time.Hour

// Secrets keeps the hash of each chat's secret.
type Secrets interface {
	// Secret returns the stored hash of chat's secret, storing hash first
	// when the chat has none and hash is not "" (created is then true).
	// Each call keeps the secret for ttl more.
	Secret(ctx context.Context, chat, hash string, ttl time.Duration) (stored string, created bool, err error)
}

// RedisSecrets keeps chats' secrets in Redis, one key each, so any replica
// checks a secret another issued.
type RedisSecrets struct {
	rdb    redis.UniversalClient
	prefix string
	script *redis.Script
}

var _ Secrets = (*RedisSecrets)(nil)

// NewRedisSecrets returns the secrets kept under prefix.
func NewRedisSecrets(rdb redis.UniversalClient, prefix string) *RedisSecrets {
	return &RedisSecrets{rdb: rdb, prefix: prefix + "rest:secret:", script: redis.NewScript(secretLua)}
}

// secretLua: KEYS = the chat's secret; ARGV = hash to store when none (""
// stores nothing), ttl ms. Returns {stored hash or "", 1 when stored now}.
const secretLua = `
local v = redis.call('GET', KEYS[1])
if v then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {v, 0}
end
if ARGV[1] == '' then
  return {'', 0}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {ARGV[1], 1}
`

// Secret implements Secrets.
func (s *RedisSecrets) Secret(ctx context.Context, chat, hash string, ttl time.Duration) (string, bool, error) {
	res, err := s.script.Run(ctx, s.rdb, []string{s.prefix + "{" + chat + "}"}, hash, ttl.Milliseconds()).Slice()
	if err != nil || len(res) != 2 {
		return "", false, fmt.Errorf("rest: chat secret: %v %w", res, err)
	}
	stored, _ := res[0].(string)
	created, _ := res[1].(int64)
	return stored, created == 1, nil
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// claimChat checks the secret a POST carries, or issues one to the chat's
// first POST. It returns the secret to hand out ("" when none is new) and
// whether the request may go on. A POST without a secret to a chat that
// has one goes on, so scripts that never read the secret keep working
// (CONTRACT §7); it cannot read the chat's pushed messages.
func (h *Handler) claimChat(ctx context.Context, r *http.Request, chat string) (issued string, ok bool, err error) {
	if h.token != "" || h.secrets == nil {
		return "", true, nil // the API token is the credential
	}
	if given := r.Header.Get(SecretHeader); given != "" {
		stored, _, err := h.secrets.Secret(ctx, chat, hashSecret(given), secretTTL)
		return "", err == nil && sameHash(stored, hashSecret(given)), err
	}
	secret := rand.Text()
	_, created, err := h.secrets.Secret(ctx, chat, hashSecret(secret), secretTTL)
	if err != nil || !created {
		return "", err == nil, err
	}
	return secret, true, nil
}

// ownsChat reports whether a request may read chat's pushed messages: the
// API token when one is set (checked before), else the chat's secret.
func (h *Handler) ownsChat(ctx context.Context, r *http.Request, chat string) (bool, error) {
	if h.token != "" {
		return true, nil
	}
	given := r.Header.Get(SecretHeader)
	if given == "" || h.secrets == nil {
		return false, nil
	}
	stored, _, err := h.secrets.Secret(ctx, chat, "", secretTTL)
	return err == nil && sameHash(stored, hashSecret(given)), err
}

func sameHash(stored, given string) bool {
	return stored != "" && subtle.ConstantTimeCompare([]byte(stored), []byte(given)) == 1
}
