package dialog

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"

	"github.com/clavebot/clavebot/internal/sealfield"
)

// A round of identity questions is answered one message at a time, so
// the answers given so far wait in the chat's state, in Redis, between
// turns. 2be7788 took the right answers out of the state (whoever read
// Redis, or a backup of it, had a reusable answer key, a CUIL's
// questions coming back the same); the person's own answers stayed in
// clear, and read during a round that passes they are all the right
// answers but the last, which three attempts then guess about half the
// time (an attack test: TestAnswersGivenAreNotInRedis). They are kept
// sealed: encrypted and authenticated (AES-256-GCM) under a key derived
// from the deployment's secret, which Redis never holds, bound to the
// chat, the CUIL, the round's attempt and its questions' seal. A seal
// that does not open (copied from another chat, forged, or of a round
// that is not this one) answers nothing: the round starts again at its
// first question.

// sealAnswers writes the answers given into the state's seal, before the
// state is saved; the answers themselves are never written.
func (t *turn) sealAnswers() {
	st := t.st
	st.AnswersSeal = ""
	if len(st.Answers) == 0 {
		return
	}
	aead, err := t.e.answersAEAD()
	if err != nil {
		// No key (a test engine without a registry): the round starts
		// again at the next turn, which is safe, not convenient.
		t.e.log.Warn("the answers given cannot be sealed", "err", err)
		return
	}
	plain, err := json.Marshal(st.Answers)
	if err != nil {
		return
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return
	}
	sealed := aead.Seal(nonce, nonce, plain, t.answersAD())
	st.AnswersSeal = base64.RawURLEncoding.EncodeToString(sealed)
}

// openAnswers reads the answers given from the state's seal, as the turn
// begins. A seal that does not open starts the round again at its first
// question.
func (t *turn) openAnswers() {
	st := t.st
	seal := st.AnswersSeal
	st.AnswersSeal = ""
	if seal == "" {
		return
	}
	if answers, ok := t.e.openSealedAnswers(seal, t.answersAD()); ok && len(answers) == st.QIndex {
		st.Answers = answers
		return
	}
	t.e.log.Warn("a round's answers given whose seal does not hold: the round starts again (a write to Redis from outside the engine, or replicas with different secrets)")
	st.Answers, st.QIndex = nil, 0
}

func (e *Engine) openSealedAnswers(seal string, ad []byte) ([]int, bool) {
	aead, err := e.answersAEAD()
	if err != nil {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(seal)
	if err != nil || len(raw) < aead.NonceSize() {
		return nil, false
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], ad)
	if err != nil {
		return nil, false
	}
	var answers []int
	if err := json.Unmarshal(plain, &answers); err != nil {
		return nil, false
	}
	return answers, true
}

func (e *Engine) answersAEAD() (cipher.AEAD, error) {
	block, err := aes.NewCipher(e.answersKey)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// answersAD is what the answers' seal is bound to: a digest of the
// chat, the CUIL, the round's attempt and its questions' seal.
func (t *turn) answersAD() []byte {
	h := sha256.New()
	sealfield.Write(h, "clavebot answers given v1")
	sealfield.Write(h, t.in.Chat)
	sealfield.Write(h, string(t.st.CUIL))
	sealfield.Write(h, t.st.Attempt)
	sealfield.Write(h, t.st.QSeal)
	return h.Sum(nil)
}
