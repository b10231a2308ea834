package dialog_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// codeBox records the codes the engine sends, as the person's inbox
// would; fail, when set, is what sending returns instead.
type codeBox struct {
	mu    sync.Mutex
	codes []registry.Code
	fail  error
}

var _ dialog.CodeSender = (*codeBox)(nil)

func (b *codeBox) SendCode(_ context.Context, c registry.Code) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != nil {
		return b.fail
	}
	b.codes = append(b.codes, c)
	return nil
}

// last is the last code sent, failing the test when none was.
func (b *codeBox) last(t *testing.T) registry.Code {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.codes) == 0 {
		t.Fatal("no code was sent")
	}
	return b.codes[len(b.codes)-1]
}

func (b *codeBox) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.codes)
}

func newContactHarness(t *testing.T) (*harness, *codeBox) {
	box := &codeBox{}
	return newHarness(t, dialog.WithCodeSender(box)), box
}

// sendFrom delivers text as WhatsApp does, from the phone from.
func (h *harness) sendFrom(chat, text, from string) []reply {
	h.t.Helper()
	h.ids++
	res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: strconv.Itoa(h.ids), Text: text, Channel: "whatsapp", From: from})
	if err != nil {
		h.t.Fatalf("Handle(%q): %v", text, err)
	}
	return h.render(res.Replies)
}

func wrong(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// verifiedEmail gives María a key and a verified e-mail, through the chat.
func verifiedEmail(h *harness, box *codeBox) {
	h.t.Helper()
	withKey(h, "Primera2024a")
	h.step("setup", "7", dialog.ExpectChoice, "Correo: no registrado")
	h.step("setup", "1", dialog.ExpectEmail)
	h.step("setup", "Maria.Gomez@Gmail.com", dialog.ExpectCode, "m***@gmail.com")
	h.step("setup", box.last(h.t.(*testing.T)).Value, dialog.ExpectChoice, "m***@gmail.com (verificado)")
	h.step("setup", "menu", dialog.ExpectMenu)
	h.now = h.now.Add(time.Minute) // one code a minute to an address
}

// Step 7: after the key, the bot offers contact data; an e-mail is
// verified by a code sent to it, a wrong code counts, and what is shown
// is masked.
func TestCreateThenVerifyEmail(t *testing.T) {
	h, box := newContactHarness(t)
	const chat = "c"
	h.toKeyStep(chat)
	h.step(chat, "Primera2024a", dialog.ExpectConfirmKey)
	h.step(chat, "Primera2024a", dialog.ExpectMenu, "podés agregar un correo o un celular", "Cambiar mis datos de contacto")
	h.step(chat, "7", dialog.ExpectChoice, "Correo: no registrado", "Agregar mi correo")
	h.step(chat, "1", dialog.ExpectEmail)
	h.step(chat, "maria@gmail", dialog.ExpectEmail, "no parece un correo")
	rs := h.step(chat, "Maria.Gomez@Gmail.com", dialog.ExpectCode, "6 números a m***@gmail.com")
	if strings.Contains(dump(rs), "maria.gomez@") {
		t.Fatalf("the address shown in clear:\n%s", dump(rs))
	}
	c := box.last(t)
	if c.To.Value != "maria.gomez@gmail.com" || c.Purpose != registry.CodeVerify {
		t.Fatalf("code sent %+v", c)
	}
	h.step(chat, "12345", dialog.ExpectCode, "6 números")
	h.step(chat, wrong(c.Value), dialog.ExpectCode, "no es correcto", "Te quedan 2 intentos")
	h.step(chat, c.Value[:3]+" "+c.Value[3:], dialog.ExpectChoice, "Verificamos tu correo m***@gmail.com", "m***@gmail.com (verificado)")
	cs, _ := h.reg.Contacts(h.ctx, "20314567898")
	if !cs.Email.Verified() || cs.Email.Value != "maria.gomez@gmail.com" {
		t.Fatalf("email %+v", cs.Email)
	}
	// The desk's transcript never holds the address or the code.
	for _, l := range h.transcript(chat) {
		if strings.Contains(l, "maria.gomez@") || strings.Contains(l, c.Value) {
			t.Fatalf("transcript line %q", l)
		}
	}
}

// transcript is the chat's transcript as the desk reads it.
func (h *harness) transcript(chat string) []string {
	h.t.Helper()
	lease, raw, err := h.store.Acquire(h.ctx, chat, "")
	if err != nil {
		h.t.Fatal(err)
	}
	defer h.store.Release(h.ctx, lease)
	var out []string
	for _, r := range h.render(stateLines(h.t, raw)) {
		out = append(out, r.Text)
	}
	return out
}

// A recovery of a CUIL with a verified contact asks, besides the
// questions, for a code sent to it; the new key comes only after.
func TestRecoverAsksCodeOfVerifiedEmail(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	const chat = "r"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "2", dialog.ExpectCUIL)
	rs := h.step(chat, maria, dialog.ExpectDNI)
	h.step(chat, "31456789", dialog.ExpectBirthDate)
	rs = append(rs, h.step(chat, "1985-03-14", dialog.ExpectChoice)...)
	if strings.Contains(dump(rs), "@") {
		t.Fatalf("a contact shown before validation:\n%s", dump(rs))
	}
	sent := box.count()
	rs = h.answerQuestions(chat, maria, false)
	if got := rs[len(rs)-1].Expect; got != dialog.ExpectCode || !strings.Contains(dump(rs), "m***@gmail.com") {
		t.Fatalf("after the questions: %s\n%s", got, dump(rs))
	}
	c := box.last(t)
	if box.count() != sent+1 || c.Purpose != registry.CodeFactor || c.To.Value != "maria.gomez@gmail.com" {
		t.Fatalf("factor code %+v", c)
	}
	h.step(chat, "Segunda2025b", dialog.ExpectCode, "6 números") // not a key step
	h.step(chat, c.Value, dialog.ExpectNewKey)
	h.step(chat, "Segunda2025b", dialog.ExpectConfirmKey)
	h.step(chat, "Segunda2025b", dialog.ExpectMenu, "Recuperaste tu clave")
}

// Three wrong codes are three failed validations: the CUIL locks for
// every chat, like wrong answers do.
func TestWrongFactorCodesLock(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	const chat = "w"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "2", dialog.ExpectCUIL)
	h.step(chat, maria, dialog.ExpectDNI)
	h.step(chat, "31456789", dialog.ExpectBirthDate)
	h.step(chat, "1985-03-14", dialog.ExpectChoice)
	h.answerQuestions(chat, maria, false)
	c := box.last(t)
	h.step(chat, wrong(c.Value), dialog.ExpectCode, "Te quedan 2 intentos")
	h.step(chat, wrong(c.Value), dialog.ExpectCode, "Te queda un intento")
	h.step(chat, wrong(c.Value), dialog.ExpectChoice, "hasta el")
	l, _ := h.reg.Lockout(h.ctx, "20314567898", registry.LockValidation)
	if !l.LockedAt(h.now) {
		t.Fatalf("lockout %+v", l)
	}
	h.step("other", "hola", dialog.ExpectMenu)
	h.step("other", "2", dialog.ExpectCUIL)
	h.step("other", maria, dialog.ExpectChoice, "hasta el")
}

// On WhatsApp, the sender's number is registered as a verified phone
// without a code; a message from it is then the second factor.
func TestWhatsAppNumberIsVerifiedPhoneAndFactor(t *testing.T) {
	h, box := newContactHarness(t)
	withKey(h, "Primera2024a")
	const me = "+5491123456789"
	const chat = "wa"
	h.sendFrom(chat, "hola", me)
	h.sendFrom(chat, "7", me)
	h.sendFrom(chat, maria, me)
	rs := h.sendFrom(chat, "Primera2024a", me)
	if !strings.Contains(dump(rs), "Usar este WhatsApp (+54 9 11 ****-6789)") {
		t.Fatalf("contacts menu on WhatsApp:\n%s", dump(rs))
	}
	rs = h.sendFrom(chat, "3", me)
	if !strings.Contains(dump(rs), "+54 9 11 ****-6789 (verificado)") {
		t.Fatalf("after using this WhatsApp:\n%s", dump(rs))
	}
	h.sendFrom(chat, "menu", me)
	h.sendFrom(chat, "2", me)
	h.sendFrom(chat, maria, me)
	h.sendFrom(chat, "31456789", me)
	h.sendFrom(chat, "1985-03-14", me)
	qs := h.questions(maria)
	for _, q := range qs {
		rs = h.sendFrom(chat, strconv.Itoa(q.Answer+1), me)
	}
	if got := rs[len(rs)-1].Expect; got != dialog.ExpectNewKey || !strings.Contains(dump(rs), "escribís desde tu celular verificado") {
		t.Fatalf("recovery from the verified phone: %s\n%s", got, dump(rs))
	}
	if box.count() != 0 {
		t.Fatalf("%d codes sent", box.count())
	}
	// From another number, the phone cannot get a code here: the code
	// goes through the sender (WhatsApp, in serve), which this one is.
	h.step("tg", "hola", dialog.ExpectMenu)
	h.step("tg", "2", dialog.ExpectCUIL)
	h.step("tg", maria, dialog.ExpectDNI)
	h.step("tg", "31456789", dialog.ExpectBirthDate)
	h.step("tg", "1985-03-14", dialog.ExpectChoice)
	rs = h.answerQuestions("tg", maria, false)
	if rs[len(rs)-1].Expect != dialog.ExpectCode || box.last(t).To.Value != me {
		t.Fatalf("factor on another channel:\n%s", dump(rs))
	}
}

// A phone typed on a channel that cannot prove it is registered, not
// verified, and is not a second factor.
func TestTypedPhoneIsNotVerified(t *testing.T) {
	h, _ := newContactHarness(t)
	withKey(h, "Primera2024a")
	const chat = "tg"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "7", dialog.ExpectCUIL)
	h.step(chat, maria, dialog.ExpectCurrentKey)
	h.step(chat, "Primera2024a", dialog.ExpectChoice)
	h.step(chat, "2", dialog.ExpectPhone)
	h.step(chat, "2345-6789", dialog.ExpectPhone, "código de área")
	h.step(chat, "011 15 2345-6789", dialog.ExpectChoice, "sin verificar", "+54 9 11 ****-6789 (sin verificar)")
	cs, _ := h.reg.Contacts(h.ctx, "20314567898")
	if cs.Phone.Value != "+5491123456789" || cs.Phone.Verified() {
		t.Fatalf("phone %+v", cs.Phone)
	}
	h.step(chat, "Quitar mi celular", dialog.ExpectChoice, "quitamos tu celular", "Celular: no registrado")
}

// When the relay is down the person is told, keeps their place, and
// "reenviar" later sends a code that works.
func TestCodeNotSentLosesNothing(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	box.fail = errs.E(errs.Unavailable, "smtp", errors.New("connection refused"))
	const chat = "down"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "2", dialog.ExpectCUIL)
	h.step(chat, maria, dialog.ExpectDNI)
	h.step(chat, "31456789", dialog.ExpectBirthDate)
	h.step(chat, "1985-03-14", dialog.ExpectChoice)
	rs := h.answerQuestions(chat, maria, false)
	if rs[len(rs)-1].Expect != dialog.ExpectCode || !strings.Contains(dump(rs), "No pudimos enviar el código") {
		t.Fatalf("relay down:\n%s", dump(rs))
	}
	h.step(chat, "reenviar", dialog.ExpectCode, "No pudimos enviar") // still down, no minute lost
	box.fail = nil
	h.step(chat, "Reenviar el código", dialog.ExpectCode, "m***@gmail.com")
	h.step(chat, "reenviar", dialog.ExpectCode, "hace menos de un minuto")
	h.now = h.now.Add(time.Minute)
	h.step(chat, "reenviar", dialog.ExpectCode, "m***@gmail.com")
	h.step(chat, box.last(t).Value, dialog.ExpectNewKey)
}

// Changing the contact data takes the key and, once a contact is
// verified, a code sent to it: else whoever passed the questions could
// replace the second factor with their own.
func TestContactChangeNeedsFactor(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	const chat = "chg"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "Cambiar mis datos de contacto", dialog.ExpectCUIL, "tu CUIL y tu clave")
	h.step(chat, maria, dialog.ExpectCurrentKey)
	rs := h.step(chat, "Primera2024a", dialog.ExpectCode, "m***@gmail.com")
	if strings.Contains(dump(rs), "Tus datos de contacto") {
		t.Fatalf("contacts shown before the code:\n%s", dump(rs))
	}
	h.step(chat, "volver", dialog.ExpectCode)
	h.step(chat, box.last(t).Value, dialog.ExpectChoice, "Cambiar mi correo", "Quitar mi correo")
	h.step(chat, "1", dialog.ExpectEmail)
	h.step(chat, "nueva@hotmail.com", dialog.ExpectCode, "n***@hotmail.com")
	if to := box.last(t).To.Value; to != "nueva@hotmail.com" {
		t.Fatalf("verify code went to %s", to)
	}
	h.step(chat, box.last(t).Value, dialog.ExpectChoice, "n***@hotmail.com (verificado)")
}

// A question asked at the code step is answered and the code asked again.
func TestCodeStepAnswersQuestions(t *testing.T) {
	h, box := newContactHarness(t)
	withKey(h, "Primera2024a")
	const chat = "q"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "7", dialog.ExpectCUIL)
	h.step(chat, maria, dialog.ExpectCurrentKey)
	h.step(chat, "Primera2024a", dialog.ExpectChoice)
	h.step(chat, "1", dialog.ExpectEmail)
	h.step(chat, "para que quieren mi mail?", dialog.ExpectEmail, "opcionales")
	h.step(chat, "maria@gmail.com", dialog.ExpectCode)
	h.step(chat, "no me llego el codigo", dialog.ExpectCode, "correo no deseado", "Escribí el código")
	_ = box
}

// stateLines reads the transcript out of a chat's stored state.
func stateLines(t testing.TB, raw []byte) []dialog.Reply {
	t.Helper()
	var st dialog.State
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	out := make([]dialog.Reply, len(st.Transcript))
	for i, l := range st.Transcript {
		out[i] = dialog.Reply{Msg: l.Msg}
	}
	return out
}

// A verified phone this deployment cannot reach (no WhatsApp here) does
// not leave the person waiting: they are told how to prove it instead.
func TestUnreachablePhoneFactor(t *testing.T) {
	h, box := newContactHarness(t)
	withKey(h, "Primera2024a")
	if err := h.reg.SetContact(h.ctx, "20314567898", registry.ContactPhone, "+5491123456789", true, "whatsapp"); err != nil {
		t.Fatal(err)
	}
	box.fail = errs.E(errs.Invalid, "send code", errors.New("no channel reaches phones"))
	const chat = "tg"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "2", dialog.ExpectCUIL)
	h.step(chat, maria, dialog.ExpectDNI)
	h.step(chat, "31456789", dialog.ExpectBirthDate)
	h.step(chat, "1985-03-14", dialog.ExpectChoice)
	rs := h.answerQuestions(chat, maria, false)
	if rs[len(rs)-1].Expect != dialog.ExpectMenu || !strings.Contains(dump(rs), "Escribinos por WhatsApp desde ese celular") {
		t.Fatalf("unreachable phone:\n%s", dump(rs))
	}
}
