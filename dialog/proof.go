package dialog

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"strconv"
	"sync"

	"github.com/clavebot/clavebot/internal/sealfield"
)

// A chat's state, in Redis, says what the chat proved of a CUIL: that it
// validated the person (Validated; with the second factor, Factor), that
// it just stored the CUIL's key (Offered: the contacts open without asking
// again), which key it proved (KeyAt), which of the CUIL's personal data
// matched (Proved: a flow offered after them does not ask them again).
// The state is JSON: whoever could write to Redis (a leaked password, an
// exposed port, a restored backup) could write those for anyone's CUIL
// into a chat of their own and store a key for it, open its contacts, or
// have an agent shown the person's data unmasked (an attack test:
// TestForgedStateProvesNothing). The engine
// seals them: at the end of every turn an HMAC of the chat and its claims,
// under a key derived from the deployment's secret, which Redis never
// holds; at the start of the next, claims their seal does not hold are
// dropped, the person told, and the drop logged and counted (the event
// "proof_dropped": someone wrote to Redis, or the replicas were given
// different secrets). The chat is in the seal, so a state copied from a
// chat that did validate proves nothing in another.
//
// A state written by a version before the seal (a rolling deploy) loses
// its claims too, as it cannot be told from a forged one: the few people
// between their validation and their key at that moment validate again.

// A proof is one character saying what is claimed (proofValidated,
// proofFactor, proofOffered, added to 'a'), then the first proofMACLen
// bytes of the HMAC-SHA256, base64: 17 characters in the state. The
// claims live only there, so a state after a new key stays within
// Redis's allocation class (the 1.5 KB a chat after a flow);
// 96 bits of seal leave a forger a guess in 2^96, each a turn.
const (
	proofValidated = 1 << iota
	proofFactor
	proofOffered
	proofIdentified

	proofMACLen = 12
)

// claims reports whether st says the chat proved anything.
func (st *State) claims() bool {
	return st.Validated || st.Identified || st.Offered || st.Factor || st.KeyAt != 0 || len(st.Proved) > 0
}

// flags is the first character of st's proof.
func (st *State) flags() byte {
	var f byte
	if st.Validated {
		f |= proofValidated
	}
	if st.Factor {
		f |= proofFactor
	}
	if st.Offered {
		f |= proofOffered
	}
	if st.Identified {
		f |= proofIdentified
	}
	return 'a' + f
}

// readProof sets what st's proof claims, unchecked: checkClaims checks it
// at the start of the turn, before anything reads it.
func (st *State) readProof() {
	if st.Proof == "" {
		return
	}
	f := st.Proof[0] - 'a'
	st.Validated, st.Factor, st.Offered = f&proofValidated != 0, f&proofFactor != 0, f&proofOffered != 0
	st.Identified = f&proofIdentified != 0
}

// sealSum is the HMAC-SHA256 of b under key, with a hash taken from
// pool, where it goes back after: hmac.New hashes the key into two blocks
// and allocates five times, and a turn seals its claims and its judgments
// about four times (issue 14); a hash reset starts from those two blocks
// kept. pool holds hashes of key alone.
func sealSum(pool *sync.Pool, key, b []byte) []byte {
	mac, ok := pool.Get().(hash.Hash)
	if ok {
		mac.Reset()
	} else {
		mac = hmac.New(sha256.New, key)
	}
	mac.Write(b)
	sum := mac.Sum(nil)
	pool.Put(mac)
	return sum
}

// proof is st's claims and their seal for chat.
func (e *Engine) proof(chat string, st *State) string {
	flags := st.flags()
	// One buffer, one write: field by field cost two allocations each
	// (see judgedSeal).
	b := make([]byte, 0, 128)
	b = sealfield.Append(b, chat)
	b = sealfield.Append(b, string(st.CUIL))
	b = sealfield.Append(b, string(flags))
	b = sealfield.Append(b, strconv.FormatInt(st.KeyAt, 10))
	for _, s := range st.Proved {
		b = sealfield.Append(b, string(s))
	}
	return string(flags) + base64.RawURLEncoding.EncodeToString(sealSum(&e.proofMACs, e.proofKey, b)[:proofMACLen])
}

// sealClaims writes the turn's claims and their seal into its state,
// which is about to be saved; a state that claims nothing carries none.
func (t *turn) sealClaims() {
	t.st.Proof = ""
	if t.st.claims() {
		t.st.Proof = t.e.proof(t.in.Chat, t.st)
	}
}

// checkClaims drops the claims of a state their seal does not hold, at
// the start of a turn, and tells the person who was past their
// validation that it must be made again; the step stays (a key step's
// message is still secret), and its handler, finding no validation, goes
// to the menu.
func (t *turn) checkClaims() {
	st := t.st
	unsealed := st.Unsealed
	st.Unsealed = false
	if !unsealed && (!st.claims() || hmac.Equal([]byte(st.Proof), []byte(t.e.proof(t.in.Chat, st)))) {
		return
	}
	t.e.log.Warn("a chat's state claims a proof of identity its seal does not hold: dropped (a write to Redis from outside the engine, replicas with different secrets, or a state of a version before the seal)",
		"validated", st.Validated || unsealed, "step", st.Step)
	t.event(Event{Name: "proof_dropped", Flow: st.Flow})
	validated := st.Validated || st.Identified || unsealed
	st.Validated, st.Factor, st.Offered, st.KeyAt, st.Proved, st.Proof = false, false, false, 0, nil, ""
	st.Identified = false
	st.KeySeal = ""
	if validated {
		t.say("proof.again")
	}
}
