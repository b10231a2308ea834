package registry

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
)

// One-time codes prove a person holds a contact: a new e-mail before it
// counts as verified, or a verified contact as the second factor of a
// recovery or a change. A code is 6 digits, single use, valid 10 minutes;
// at most one a minute goes to one contact of a CUIL. Each code typed is
// judged against a reserved attempt of one of the CUIL's counters,
// atomically across chats and replicas, and nothing is judged while it is
// locked: a factor's wrong codes count as failed validations (the
// policy's 3 lock the CUIL for 4 hours); a new contact's count apart
// (Policy.CodeRule: 5 stop new contacts for 30 minutes), as the person
// has proved their key already and a slip there locked their recovery.
//
// The code itself is never stored, logged or kept in the chat's state: the
// database keeps an HMAC of it, keyed by the service's secret and by a
// secret half of the reference the chat keeps, so neither the database
// nor Redis alone lets anyone find the code.

const (
	codeTTL    = 10 * time.Minute
	codeGap    = CodeGap
	codeDigits = 6
	// codeCheckTTL bounds the reservation of a code's comparison.
	codeCheckTTL = time.Minute
)

// CodeGap is the least time between two codes to one contact of a CUIL.
const CodeGap = time.Minute

// Sent is when c was sent (claimed for sending).
func (c Code) Sent() time.Time { return c.sentAt }

// CodePurpose is what a code proves.
type CodePurpose string

// Code purposes.
const (
	// CodeVerify proves a new contact is the person's: when right, it is
	// registered as verified.
	CodeVerify CodePurpose = "verify"
	// CodeFactor proves the person holds a verified contact: the second
	// factor of a recovery or change.
	CodeFactor CodePurpose = "factor"
)

// CodeRecord is a code as stored: never the code, only its hash.
type CodeRecord struct {
	ID      string
	CUIL    CUIL
	Purpose CodePurpose
	To      Contact // Kind and Value it was sent to
	Hash    string
	SentAt  time.Time
	Expires time.Time
}

// Code is a code just issued, for the caller to send. Value must reach
// only the contact: it is never stored, logged or kept in a chat's state.
type Code struct {
	// Ref names the code for the chat that asked for it, and holds half
	// of its hash's key. It is what the chat keeps.
	Ref     string
	Value   string // the 6 digits
	Purpose CodePurpose
	To      Contact
	Expires time.Time
	// WaitUntil, when not zero, says no code was issued: one went to the
	// same contact less than a minute ago, and the next may go then.
	WaitUntil time.Time
	// LockedUntil, when not zero, says no code was issued: a new
	// contact's codes are locked until then (Policy.CodeRule), and one
	// sent now could not be judged.
	LockedUntil time.Time

	cuil   CUIL
	dest   string
	sentAt time.Time
}

// IssueCode makes a code of purpose for cuil to send to to. Within a
// minute of the last one sent to the same contact, unless that one came
// back right, it issues none (see Code.WaitUntil). When the code cannot be sent, CancelCode gives the
// minute back.
func (s *Service) IssueCode(ctx context.Context, cuil CUIL, purpose CodePurpose, to Contact) (Code, error) {
	if err := checkContact(to.Kind, to.Value); err != nil {
		return Code{}, errs.E(errs.Invalid, "issue code", err)
	}
	now := s.now()
	if kind, _ := s.policy.CodeRule(purpose); kind != LockValidation {
		// A new contact's code while its lock lasts would reach the
		// person only to be refused (found by a probe: they were told to
		// wait the minute between codes, not the lock).
		l, err := s.store.Lockout(ctx, cuil, kind)
		if err != nil {
			return Code{}, errs.Wrap("issue code", err)
		}
		if l.LockedAt(now) {
			return Code{LockedUntil: l.Until}, nil
		}
	}
	dest := s.pseudonym("code-dest", string(to.Kind)+":"+to.Value)
	ok, next, err := s.store.ClaimCodeSend(ctx, cuil, dest, now, codeGap)
	if err != nil {
		return Code{}, errs.Wrap("issue code", err)
	}
	if !ok {
		return Code{WaitUntil: next}, nil
	}
	id, secret, value := rand.Text(), rand.Text(), newCodeValue()
	rec := CodeRecord{
		ID: id, CUIL: cuil, Purpose: purpose, To: Contact{Kind: to.Kind, Value: to.Value},
		Hash: s.codeHash(secret, id, value), SentAt: now, Expires: now.Add(codeTTL),
	}
	c := Code{Ref: id + "." + secret, Value: value, Purpose: purpose, To: rec.To, Expires: rec.Expires, cuil: cuil, dest: dest, sentAt: now}
	if err := s.store.SaveCode(ctx, rec); err != nil {
		s.releaseSend(ctx, c)
		return Code{}, errs.Wrap("issue code", err)
	}
	return c, nil
}

// CancelCode gives back the minute of a code that could not be sent, so
// that another may go at once. The code itself stays as it was, unused:
// no one has seen it, and ResendCode finds its contact through it.
func (s *Service) CancelCode(ctx context.Context, c Code) error {
	return s.releaseSend(ctx, c)
}

// ResendCode issues a new code to the contact and for the purpose of the
// code ref names (expired or not; not one used): the chat keeps no
// contact, only the reference. errs.NotFound when there is no such code.
func (s *Service) ResendCode(ctx context.Context, cuil CUIL, ref string) (Code, error) {
	id, _, _ := strings.Cut(ref, ".")
	rec, err := s.store.Code(ctx, cuil, id)
	if err != nil {
		return Code{}, errs.Wrap("resend code", err)
	}
	if ok, err := s.factorContact(ctx, rec); err != nil || !ok {
		if err == nil {
			err = errs.New(errs.NotFound, "the code's contact is no longer verified")
		}
		return Code{}, errs.Wrap("resend code", err)
	}
	return s.IssueCode(ctx, cuil, rec.Purpose, rec.To)
}

// factorContact reports whether the contact a code went to may still
// receive it: for a second factor, while it is the CUIL's verified
// contact of its kind. A recovery that reached the code before the person
// replaced their e-mail (the old mailbox read by someone else) passed with
// the code sent there, typed or sent again after the change (an attack
// probe). A new contact's code is always its own.
func (s *Service) factorContact(ctx context.Context, rec CodeRecord) (bool, error) {
	if rec.Purpose != CodeFactor {
		return true, nil
	}
	cs, err := s.store.Contacts(ctx, rec.CUIL)
	if err != nil {
		return false, err
	}
	c := cs.Get(rec.To.Kind)
	return c.Value == rec.To.Value && c.Verified(), nil
}

func (s *Service) releaseSend(ctx context.Context, c Code) error {
	return errs.Wrap("release code send", s.store.ReleaseCodeSend(ctx, c.cuil, c.dest, c.sentAt))
}

// newCodeValue draws 6 digits uniformly from crypto/rand.
func newCodeValue() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return fmt.Sprintf("%0*d", codeDigits, n.Int64())
}

// codeHash is the stored form of a code: an HMAC keyed by the service's
// secret and the reference's secret half.
func (s *Service) codeHash(secret, id, value string) string {
	var seed [8]byte
	binary.BigEndian.PutUint64(seed[:], s.seed)
	mac := hmac.New(sha256.New, append(seed[:], secret...))
	io.WriteString(mac, id+":"+value)
	return hex.EncodeToString(mac.Sum(nil))
}

// pseudonym is a keyed hash of a personal datum, for rows that must
// recognise it without keeping it.
func (s *Service) pseudonym(what, v string) string {
	var key [8]byte
	binary.BigEndian.PutUint64(key[:], s.seed)
	mac := hmac.New(sha256.New, key[:])
	io.WriteString(mac, what+"\x00"+v)
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

// CodeStatus is what CheckCode decided.
type CodeStatus string

// Outcomes of CheckCode.
const (
	CodePassed  CodeStatus = "passed"  // right: used up; a new contact is now verified
	CodeWrong   CodeStatus = "wrong"   // wrong: a failed validation (Lockout says whether it locked)
	CodeExpired CodeStatus = "expired" // no such code any more: used, expired, or never sent; nothing judged
	CodeLocked  CodeStatus = "locked"  // the CUIL is locked until Lockout.Until; nothing judged
	CodeBusy    CodeStatus = "busy"    // every attempt left is in progress elsewhere, the first until Lockout.Until
)

// CodeCheck is what CheckCode decided, and the contact the code went to.
type CodeCheck struct {
	Status  CodeStatus
	Lockout Lockout
	To      Contact
	Purpose CodePurpose
}

// IsCode reports whether s is written as a code: 6 digits, spaces and
// dashes allowed. Anything else is not judged.
func IsCode(s string) (string, bool) {
	d := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if len(d) != codeDigits || strings.Trim(d, "0123456789") != "" {
		return "", false
	}
	return d, true
}

// FindCode finds the code said in a sentence ("el código es 123456."):
// the one run of digits it holds, when that run is a code.
func FindCode(s string) (string, bool) {
	runs := strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if len(runs) != 1 {
		return "", false
	}
	return IsCode(runs[0])
}

// CheckCode judges value typed for the code ref names, of cuil. Each
// judgement reserves an attempt of the CUIL's validation count first: a
// wrong code is a failed validation, a right one gives the attempt back,
// and none is judged while the CUIL is locked. A right code is used up;
// when it verified a new contact, the contact is registered as verified
// (audited, on channel).
func (s *Service) CheckCode(ctx context.Context, cuil CUIL, ref, value, channel string) (CodeCheck, error) {
	id, secret, _ := strings.Cut(ref, ".")
	rec, err := s.store.Code(ctx, cuil, id)
	switch {
	case errs.Is(errs.NotFound, err):
		return CodeCheck{Status: CodeExpired}, nil
	case err != nil:
		return CodeCheck{}, errs.Wrap("check code", err)
	case !s.now().Before(rec.Expires):
		return CodeCheck{Status: CodeExpired, To: rec.To, Purpose: rec.Purpose}, nil
	}
	if ok, err := s.factorContact(ctx, rec); err != nil || !ok {
		// A second factor's contact replaced since: nothing judged.
		return CodeCheck{Status: CodeExpired, To: rec.To, Purpose: rec.Purpose}, errs.Wrap("check code", err)
	}
	out := CodeCheck{To: rec.To, Purpose: rec.Purpose}
	kind, rule := s.policy.CodeRule(rec.Purpose)
	att, err := s.reserve(ctx, cuil, kind, rule, codeCheckTTL)
	if err != nil {
		return CodeCheck{}, errs.Wrap("check code", err)
	}
	if att.Refused() {
		out.Status, out.Lockout = refusedCode(att.Status), att.Lockout
		return out, nil
	}
	hash := s.codeHash(secret, id, value)
	right := subtle.ConstantTimeCompare([]byte(hash), []byte(rec.Hash)) == 1
	return s.judgeCode(context.WithoutCancel(ctx), rec, att.ID, hash, right, channel, out)
}

func refusedCode(st AttemptStatus) CodeStatus {
	if st == AttemptBusy {
		return CodeBusy
	}
	return CodeLocked
}

// judgeCode settles the reserved attempt and, for a right code, uses it.
func (s *Service) judgeCode(ctx context.Context, rec CodeRecord, attempt, hash string, right bool, channel string, out CodeCheck) (CodeCheck, error) {
	outcome := OutcomeFailed
	switch {
	case right && rec.Purpose == CodeFactor:
		// The whole proof: the questions or the key, and now the
		// contact. The failures the questions left are forgotten here
		// (see EndValidation).
		outcome = OutcomePassed
	case right:
		outcome = OutcomeVoid
	}
	now := s.now()
	kind, rule := s.policy.CodeRule(rec.Purpose)
	done, err := s.store.SettleAttempt(ctx, rec.CUIL, kind, attempt, outcome, now, rule)
	if err != nil {
		return CodeCheck{}, errs.Wrap("check code", err)
	}
	out.Lockout = done.Lockout
	switch {
	case done.Status == AttemptLocked:
		// Locked by another chat since the reservation: not judged.
		out.Status = CodeLocked
		return out, nil
	case !right:
		out.Status = CodeWrong
		if done.Lockout.LockedAt(now) {
			s.log.Info("locked by wrong codes", "cuil", rec.CUIL.Masked(), "lock", string(kind), "until", done.Lockout.Until)
		}
		return out, nil
	}
	used, err := s.store.UseCode(ctx, rec.CUIL, rec.ID, hash)
	if err != nil {
		return CodeCheck{}, errs.Wrap("check code", err)
	}
	if !used {
		out.Status = CodeExpired // used at the same moment elsewhere
		return out, nil
	}
	out.Status = CodePassed
	// The code came back: its minute has served, and the person may need
	// another one at once (a recovery right after verifying the e-mail).
	dest := s.pseudonym("code-dest", string(rec.To.Kind)+":"+rec.To.Value)
	if err := s.store.ReleaseCodeSend(ctx, rec.CUIL, dest, rec.SentAt); err != nil {
		s.log.Warn("release code send failed", "cuil", rec.CUIL.Masked(), "err", err)
	}
	if rec.Purpose == CodeVerify {
		if err := s.SetContact(ctx, rec.CUIL, rec.To.Kind, rec.To.Value, true, channel); err != nil {
			return CodeCheck{}, errs.Wrap("check code", err)
		}
	}
	return out, nil
}
