package dialog

import (
	"encoding/json"
	"time"

	"github.com/clavebot/clavebot/registry"
)

// State is everything the engine remembers of a chat between messages. It
// never holds a key: between new_key and confirm_key only the key's argon2id
// hash is kept, and the state expires after the idle timeout.
type State struct {
	Flow Flow `json:"f,omitempty"`
	Step Step `json:"s,omitempty"`

	CUIL     registry.CUIL   `json:"c,omitempty"`
	Pending  []Step          `json:"p,omitempty"` // personal data still to ask
	Mismatch map[Step]string `json:"m,omitempty"` // likely causes, by field; never values; sealed in JudgedSeal
	// Matched are the personal data that matched at a validation this
	// chat counted as failed: not asked again (only those that did not
	// match are). Sealed in JudgedSeal.
	Matched []Step `json:"mt,omitempty"`
	// JudgedSeal seals which data were judged in this chat for CUIL
	// (History), which did not match (Mismatch) and which matched at a
	// failed validation (Matched): see judgedseal.go.
	JudgedSeal string              `json:"jd,omitempty"`
	Questions  []registry.Question `json:"q,omitempty"`
	QIndex     int                 `json:"qi,omitempty"`
	// Answers are this round's answers given so far: never written in
	// clear, they are kept sealed in AnswersSeal (see answerseal.go).
	Answers     []int  `json:"-"`
	AnswersSeal string `json:"ae,omitempty"`
	// LegacyAnswers are Answers as versions before the seal wrote them:
	// read into Answers, and never written.
	LegacyAnswers []int `json:"an,omitempty"`
	// QSeal seals the questions' right answers, which Questions do not
	// carry (registry.Service.SealAnswers): never the answers in Redis.
	QSeal   string `json:"qk,omitempty"`
	Attempt string `json:"va,omitempty"` // the validation attempt reserved for this round
	// Validated, Identified, Factor and Offered are kept in Proof, sealed
	// with what else the chat proved (see proof.go).
	Validated bool `json:"-"`
	// Identified is set when this chat proved who it is (the identity
	// questions, or the current key) and the second factor is asked
	// (StepFactor); Validated, once that is done, takes its place.
	Identified bool `json:"-"`
	// Proof holds and seals what the chat proved: Validated, Factor,
	// Offered, KeyAt, Proved (see proof.go).
	Proof string `json:"vp,omitempty"`
	// Unsealed is a validation as versions before the seal wrote it,
	// read to tell the person it must be made again, never written.
	Unsealed bool `json:"v,omitempty"`
	// Factor is set when this chat proved it holds a verified contact
	// (the second factor). A key is stored only with it when the CUIL has
	// one by then: a contact verified in another chat after this one
	// validated must not be skipped.
	Factor     bool      `json:"-"`
	KeySeal    string    `json:"ks,omitempty"` // the new key's seal until it is confirmed (registry/keyseal.go)
	History    []Step    `json:"h,omitempty"`  // the data judged, in order: for "volver"; sealed in JudgedSeal
	Offer      *Offer    `json:"o,omitempty"`
	Suggest    []string  `json:"sg,omitempty"` // intents offered
	Resume     *Resume   `json:"r,omitempty"`  // where to go back after a detour
	Check      string    `json:"ck,omitempty"` // what the trouble flow checks for
	LockUntil  time.Time `json:"lu,omitzero"`
	Intent     string    `json:"i,omitempty"` // last FAQ answer, for its rating
	Unknown    int       `json:"u,omitempty"` // messages not understood in a row
	Failures   int       `json:"fa,omitempty"`
	Started    bool      `json:"st,omitempty"`
	Seen       time.Time `json:"ls,omitzero"`  // the last message, for the idle timeout
	DeskClosed bool      `json:"dc,omitempty"` // handed over outside desk hours: messages wait
	// Carry is what was typed with the CUIL before a flow was chosen
	// ("27352189044 35218904 21/07/1990" at the menu): the DNI's digits
	// and the birth date, for the flow chosen next to take (see
	// carryOver). Cleared with the step.
	Carry string `json:"cy,omitempty"`
	// Names are the names typed with the request to a flow that asks
	// none (recovery, change), labelled as Carry is, for a flow offered
	// on the same CUIL that asks them (see namesaside.go).
	Names string `json:"nm,omitempty"`
	// Acked is the acknowledgement last said to a message for the desk
	// (its key and place): the same again is said short.
	Acked string `json:"ak,omitempty"`
	// Code names the one-time code this chat waits for; never the code.
	// CodeTo is where it went, masked.
	Code   string `json:"cr,omitempty"`
	CodeTo string `json:"ct,omitempty"`
	// SentCode is the last code this chat had sent, kept across flows:
	// the CUIL, the purpose, the reference and where it went, "|"-joined.
	// A flow started again within the minute that no second code may go
	// takes it (found by a probe: the person was told to wait, and the
	// code in their inbox "ya no sirve").
	SentCode string `json:"sc,omitempty"`
	// Offered is set at the menu shown after a new key, when the contact
	// data were offered: choosing them goes on with the CUIL just proved.
	Offered bool `json:"-"`
	// KeyAt is when the key this chat proved (or just stored) was stored,
	// in Unix milliseconds: the contacts are open to the chat only while
	// the CUIL's key is that one (see turn.keyStillProved).
	KeyAt int64 `json:"ka,omitempty"`
	// Proved are the personal data of CUIL that matched its record in this
	// chat: a flow offered after them (create for a CUIL with a key,
	// recover for one without) does not ask them again. Names of steps,
	// never values.
	Proved []Step `json:"pv,omitempty"`
	// DNITold is a digest of a DNI told not to be the CUIL's middle
	// digits (see doubtDNI): the same DNI typed again is taken. 16 bits,
	// with the CUIL: it tells the same DNI, not which.
	DNITold string `json:"dt,omitempty"`
	// NoGivenName is set when the first names typed hold no known given
	// name (givenIn): surnames of given names alone typed after them
	// were likely typed in each other's place (see swapLikely). Read
	// from the words typed, never the record.
	NoGivenName bool `json:"ng,omitempty"`
	// AsTyped is set when the person said no to leaving, offered for a
	// word that may be a surname ("Basta") at a name step: their next
	// answer there is a name as typed. Cleared by that answer, or by
	// moving to another step.
	AsTyped bool `json:"nt,omitempty"`
	// StepWord is a digest of a word of the step ("Toma", "Luego") typed
	// at a name step: the same typed again is the name (see saidAgain).
	StepWord string `json:"sw,omitempty"`
	// Again is set at the menu offered after something was done (a flow
	// ended): an acknowledgement there is thanks, not "go on".
	Again bool `json:"ag,omitempty"`
	// LegacyTranscript is the transcript as versions before the store kept
	// it apart wrote it inside the state. It is read from such a state,
	// moved to the store's transcript at the chat's next commit (see
	// newTurn), and never written.
	LegacyTranscript []Line `json:"t,omitempty"`
	// Before is the state a hand-over to the desk left, while the chat
	// is in the desk's line: "cancelar" there goes back to it (see
	// deskback.go). Its claims carry their own seal.
	Before *State `json:"hb,omitempty"`
}

// Resume remembers the step a detour (a question, an offer) interrupted.
type Resume struct {
	Flow Flow `json:"f"`
	Step Step `json:"s"`
}

func decodeState(raw []byte) (*State, error) {
	st := &State{}
	if len(raw) == 0 {
		return st, nil
	}
	if err := json.Unmarshal(raw, st); err != nil {
		return nil, err
	}
	if st.Offer != nil {
		st.Offer.upgrade(st.CUIL)
	}
	st.Answers, st.LegacyAnswers = st.LegacyAnswers, nil
	st.readProof()
	return st, nil
}

func (st *State) encode() ([]byte, error) { return json.Marshal(st) }

// reset forgets the current flow but keeps the counts of messages not
// understood and failures, which span flows (the transcript, kept apart,
// spans them too).
func (st *State) reset() {
	*st = State{Started: true, Unknown: st.Unknown, Failures: st.Failures, SentCode: st.SentCode}
}
