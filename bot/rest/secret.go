package rest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// SecretHeader carries a chat's secret. Without an API token a chat id is
// chosen by the client and may be guessed, so it is not a credential: the
// first POST /v1/chat of a chat returns a secret (in this header and as
// "chat_secret"), and reading the chat's pushed messages requires it. Once
// a request has carried the right secret the chat is bound to it: every
// later request for the chat needs it too.
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
	// Bind marks chat's secret, whose hash is hash, as in use by its
	// client: Secret returns it as bound(hash) from then on.
	Bind(ctx context.Context, chat, hash string) error
}

// boundMark opens the stored hash of a secret its client has used.
const boundMark = "b:"

func bound(hash string) string { return boundMark + hash }

// RedisSecrets keeps chats' secrets in Redis, one key each, so any replica
// checks a secret another issued.
type RedisSecrets struct {
	rdb    redis.UniversalClient
	prefix string
	script *redis.Script
	bind   *redis.Script
}

var _ Secrets = (*RedisSecrets)(nil)

// NewRedisSecrets returns the secrets kept under prefix.
func NewRedisSecrets(rdb redis.UniversalClient, prefix string) *RedisSecrets {
	return &RedisSecrets{rdb: rdb, prefix: prefix + "rest:secret:", script: redis.NewScript(secretLua), bind: redis.NewScript(bindLua)}
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

// bindLua: KEYS = the chat's secret; ARGV = its hash, already checked.
// The TTL is kept.
const bindLua = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
end
return 1
`

// Bind implements Secrets.
func (s *RedisSecrets) Bind(ctx context.Context, chat, hash string) error {
	if err := s.bind.Run(ctx, s.rdb, []string{s.key(chat)}, hash, bound(hash)).Err(); err != nil {
		return fmt.Errorf("rest: bind chat secret: %w", err)
	}
	return nil
}

func (s *RedisSecrets) key(chat string) string { return s.prefix + "{" + chat + "}" }

// Secret implements Secrets.
func (s *RedisSecrets) Secret(ctx context.Context, chat, hash string, ttl time.Duration) (string, bool, error) {
	res, err := s.script.Run(ctx, s.rdb, []string{s.key(chat)}, hash, ttl.Milliseconds()).Slice()
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
// whether the request may go on. A POST without a secret to a chat whose
// secret was never used goes on, so scripts that never read the secret keep
// working (CONTRACT §7); it cannot read the chat's pushed messages. Once the
// client has used its secret (on a POST or a GET), a POST without it is
// refused: a stranger knowing the id cannot answer the person's questions,
// type their new key or see what the replies reveal.
func (h *Handler) claimChat(ctx context.Context, r *http.Request, chat string) (issued string, ok bool, err error) {
	if h.token != "" || h.secrets == nil {
		return "", true, nil // the API token is the credential
	}
	if given := r.Header.Get(SecretHeader); given != "" {
		// A chat whose secret expired (and everything of it with it, see
		// SendOptions) is taken back by the secret its client still holds.
		return h.checkSecret(ctx, chat, given, hashSecret(given))
	}
	secret := rand.Text()
	stored, created, err := h.secrets.Secret(ctx, chat, hashSecret(secret), secretTTL)
	switch {
	case err != nil:
		return "", false, err
	case created:
		return secret, true, nil
	}
	return "", !strings.HasPrefix(stored, boundMark), nil
}

// checkSecret compares a secret given for chat with the stored one (storing
// store when there is none), and binds the chat to it when it matches.
func (h *Handler) checkSecret(ctx context.Context, chat, given, store string) (string, bool, error) {
	stored, _, err := h.secrets.Secret(ctx, chat, store, secretTTL)
	if err != nil {
		return "", false, err
	}
	want := hashSecret(given)
	isBound := strings.HasPrefix(stored, boundMark)
	if !sameHash(strings.TrimPrefix(stored, boundMark), want) {
		return "", false, nil
	}
	if !isBound {
		if err := h.secrets.Bind(ctx, chat, want); err != nil {
			return "", false, err
		}
	}
	return "", true, nil
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
	_, ok, err := h.checkSecret(ctx, chat, given, "")
	return ok, err
}

// keepSecret keeps chat's secret at least as long as a message just pushed
// to it waits (secretTTL is longer than the mailbox's): were it to expire
// first, whoever POSTs to the chat id then would be issued a new secret
// and read the person's messages.
func (h *Handler) keepSecret(ctx context.Context, chat string) error {
	if h.token != "" || h.secrets == nil {
		return nil
	}
	_, _, err := h.secrets.Secret(ctx, chat, "", secretTTL)
	return err
}

func sameHash(stored, given string) bool {
	return stored != "" && subtle.ConstantTimeCompare([]byte(stored), []byte(given)) == 1
}
