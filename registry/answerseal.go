package registry

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"

	"github.com/clavebot/clavebot/internal/sealfield"
)

// A round of identity questions waits for its answers in the chat's state,
// in Redis: with their right answers there, anyone who read Redis (or a
// backup of it) held a reusable answer key of everyone validating at that
// moment, as a CUIL's questions come back the same (an attacker's probe).
// The state keeps the questions without their answers and a seal of them:
// an HMAC, under the key of new keys' seals (never in Redis), of the CUIL,
// the questions and the right answers. The answers given are judged by
// sealing them the same way; without the key, the seal tells nothing, and
// no guess can be checked against it offline.

const answerSealVersion = "a1"

// SealAnswers returns qs without their answers (each Answer zero), and the
// seal that AnswersRight judges a round's answers by.
func (s *Service) SealAnswers(cuil CUIL, qs []Question) ([]Question, string) {
	bare := make([]Question, len(qs))
	answers := make([]int, len(qs))
	for i, q := range qs {
		bare[i] = q
		bare[i].Answer = 0
		answers[i] = q.Answer
	}
	return bare, answerSealVersion + "." + base64.RawURLEncoding.EncodeToString(s.answersMAC(cuil, bare, answers))
}

// AnswersRight reports whether answers are the right ones for the
// questions qs that SealAnswers gave with seal, in constant time.
func (s *Service) AnswersRight(cuil CUIL, qs []Question, answers []int, seal string) bool {
	if len(answers) != len(qs) || len(seal) < len(answerSealVersion)+1 || seal[:len(answerSealVersion)+1] != answerSealVersion+"." {
		return false
	}
	want, err := base64.RawURLEncoding.DecodeString(seal[len(answerSealVersion)+1:])
	if err != nil {
		return false
	}
	bare := make([]Question, len(qs))
	for i, q := range qs {
		bare[i] = q
		bare[i].Answer = 0
	}
	return hmac.Equal(s.answersMAC(cuil, bare, answers), want)
}

func (s *Service) answersMAC(cuil CUIL, qs []Question, answers []int) []byte {
	mac := hmac.New(sha256.New, s.sealKey)
	sealfield.Write(mac, "clavebot identity answers v1")
	sealfield.Write(mac, string(cuil))
	for i, q := range qs {
		sealfield.Write(mac, string(q.Kind))
		for _, o := range q.Options {
			if o.None {
				sealfield.Write(mac, "\x00none")
			} else {
				sealfield.Write(mac, o.Text)
			}
		}
		var a [8]byte
		binary.BigEndian.PutUint64(a[:], uint64(int64(answers[i])))
		mac.Write(a[:])
	}
	return mac.Sum(nil)
}
