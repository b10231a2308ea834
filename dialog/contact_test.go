package dialog_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
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
func (h *harness) sendFrom(chat, text, from string) []dialog.Reply {
	h.t.Helper()
	h.ids++
	res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: strconv.Itoa(h.ids), Text: text, Channel: "whatsapp", From: from})
	if err != nil {
		h.t.Fatalf("Handle(%q): %v", text, err)
	}
	return res.Replies
}

func wrong(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// Messages the tests look for.
var (
	contactsMenu = i18n.M("contacts.ask")
	codeSent     = func(to string) i18n.Message { return i18n.M("code.sent", "to", to) }
	verifiedAs   = func(v string) i18n.Message { return i18n.M("contacts.verified", "value", v) }
)

// verifiedEmail gives María a key and a verified e-mail, through the chat.
func verifiedEmail(h *harness, box *codeBox) {
	h.t.Helper()
	withKey(h, "Primera2024a")
	h.step("setup", "7", dialog.ExpectChoice, contactsMenu)
	h.step("setup", "1", dialog.ExpectEmail)
	h.step("setup", "Maria.Gomez@Gmail.com", dialog.ExpectCode, codeSent("m***@gmail.com"))
	h.step("setup", box.last(h.t.(*testing.T)).Value, dialog.ExpectChoice, i18n.M("contacts.email_verified"))
	h.step("setup", "menu", dialog.ExpectMenu)
	h.now = h.now.Add(time.Minute)
}

// toFactor takes a new chat through recovery up to the second factor.
func toFactor(h *harness, chat string) []dialog.Reply {
	h.t.Helper()
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "2", dialog.ExpectCUIL)
	h.step(chat, maria, dialog.ExpectDNI)
	h.step(chat, "31456789", dialog.ExpectBirthDate)
	h.step(chat, "1985-03-14", dialog.ExpectChoice)
	return h.answerQuestions(chat, maria, false)
}

// Step 7: after the key, the bot offers contact data; an e-mail is
// verified by a code sent to it, a wrong code counts, and what is shown
// is masked.
func TestCreateThenVerifyEmail(t *testing.T) {
	h, box := newContactHarness(t)
	const chat = "c"
	h.toKeyStep(chat)
	h.step(chat, "Primera2024a", dialog.ExpectConfirmKey)
	h.step(chat, "Primera2024a", dialog.ExpectMenu, i18n.M("contacts.offer"), i18n.M("menu.contact"))
	h.step(chat, "7", dialog.ExpectChoice, i18n.M("contacts.ask", "email", i18n.M("contacts.none")), i18n.M("contacts.add_email"))
	h.step(chat, "1", dialog.ExpectEmail)
	h.step(chat, "maria@gmail", dialog.ExpectEmail, i18n.M("email.format"))
	// A slip in a common provider's name would send the code to nobody.
	h.step(chat, "maria.gomez@gmail.con", dialog.ExpectEmail, i18n.M("email.typo", "typed", "gmail.con", "meant", "gmail.com"))
	h.step(chat, "maria.gomez@gmial.com", dialog.ExpectEmail, i18n.M("email.typo", "meant", "gmail.com"))
	h.step(chat, "volver", dialog.ExpectChoice, contactsMenu)
	// Typed at the contacts' menu itself, likewise.
	h.step(chat, "maria.gomez@hotmial.com", dialog.ExpectEmail, i18n.M("email.typo", "meant", "hotmail.com"))
	rs := h.step(chat, "Maria.Gomez @ Gmail.com", dialog.ExpectCode, codeSent("m***@gmail.com"))
	if strings.Contains(h.shown(rs), "maria.gomez@") {
		t.Fatalf("the address shown in clear:\n%s", h.dump(rs))
	}
	c := box.last(t)
	if c.To.Value != "maria.gomez@gmail.com" || c.Purpose != registry.CodeVerify {
		t.Fatalf("code sent %+v", c)
	}
	h.step(chat, "12345", dialog.ExpectCode, i18n.M("code.format"))
	h.step(chat, "me equivoqué de mail", dialog.ExpectCode, i18n.M("code.wrong_address"))
	// "Todavía no me llegó" is the code missing, not a malformed code.
	for _, text := range []string{"todavía no me llegó", "no recibí nada", "sigo esperando"} {
		h.step(chat, text, dialog.ExpectCode, i18n.M("faq.at_contact_code.contact.code_missing"))
	}
	h.step(chat, wrong(c.Value), dialog.ExpectCode, i18n.M("code.wrong"), i18n.M("contacts.code_left", "n", 4))
	// A code that reads as an option's number is a code: "000001" asked
	// for another one (found by an attack probe).
	if c.Value != "000001" {
		h.step(chat, "000001", dialog.ExpectCode, i18n.M("code.wrong"), i18n.M("contacts.code_left", "n", 3))
	}
	h.step(chat, c.Value[:3]+" "+c.Value[3:], dialog.ExpectChoice,
		i18n.M("contacts.email_verified", "email", "m***@gmail.com"),
		i18n.M("contacts.ask", "email", verifiedAs("m***@gmail.com")))
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

// Wrong codes while adding an e-mail locked the CUIL's identity checks for
// four hours, and with them the person's recovery (found by hand): they
// stop only new contacts, for a while, and say so.
func TestWrongContactCodesDoNotLockValidation(t *testing.T) {
	h, box := newContactHarness(t)
	const chat = "c"
	h.toKeyStep(chat)
	h.step(chat, "Primera2024a", dialog.ExpectConfirmKey)
	h.step(chat, "Primera2024a", dialog.ExpectMenu)
	h.step(chat, "7", dialog.ExpectChoice)
	h.step(chat, "1", dialog.ExpectEmail)
	h.step(chat, "maria.gomez@gmail.com", dialog.ExpectCode)
	c := box.last(t)
	for i := range 4 {
		h.step(chat, wrong(c.Value), dialog.ExpectCode, i18n.M("code.wrong"), i18n.M("contacts.code_left", "n", 4-i))
	}
	h.step(chat, wrong(c.Value), dialog.ExpectChoice, i18n.M("contacts.code_locked"))
	if cs, _ := h.reg.Contacts(h.ctx, "20314567898"); cs.Email.Verified() {
		t.Fatalf("email %+v verified", cs.Email)
	}
	// While locked, no new code goes out: the lock is said, not the
	// minute between codes (found by a probe).
	sent := box.count()
	h.step(chat, "1", dialog.ExpectEmail)
	h.step(chat, "otra.direccion@gmail.com", dialog.ExpectChoice, i18n.M("contacts.code_locked"))
	if box.count() != sent {
		t.Fatal("a code was sent while new contacts are locked")
	}
	l, err := h.reg.Lockout(h.ctx, "20314567898", registry.LockValidation)
	if err != nil || l.Failures != 0 || l.LockedAt(time.Now()) {
		t.Fatalf("validations after wrong contact codes: %+v, %v", l, err)
	}
}

// transcript is what the store keeps of the chat for the desk: its
// transcript lines, and its state.
func (h *harness) transcript(chat string) []string {
	h.t.Helper()
	return append(strings.Split(h.store.Lines(chat), "\n"), string(h.store.Raw(chat)))
}

// A recovery of a CUIL with a verified contact asks, besides the
// questions, for a code sent to it; the new key comes only after.
func TestRecoverAsksCodeOfVerifiedEmail(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	const chat = "r"
	sent := box.count()
	rs := toFactor(h, chat)
	if last(rs).Expect != dialog.ExpectCode || !has(rs, i18n.M("factor.intro")) || !has(rs, codeSent("m***@gmail.com")) {
		t.Fatalf("after the questions:\n%s", h.dump(rs))
	}
	c := box.last(t)
	if box.count() != sent+1 || c.Purpose != registry.CodeFactor || c.To.Value != "maria.gomez@gmail.com" {
		t.Fatalf("factor code %+v", c)
	}
	h.step(chat, "Segunda2025b", dialog.ExpectCode, i18n.M("code.format")) // not a key step
	h.step(chat, "volver", dialog.ExpectCode)
	// The contact lost: an office, not «Cambiar mis datos de contacto»,
	// which asks the key being recovered (found by hand).
	h.step(chat, "cambié de correo, ya no lo uso", dialog.ExpectCode, i18n.M("factor.lost"))
	h.step(chat, c.Value, dialog.ExpectNewKey)
	h.step(chat, "Segunda2025b", dialog.ExpectConfirmKey)
	h.step(chat, "Segunda2025b", dialog.ExpectMenu, i18n.M("done.recover"))
}

// Before the identity is proved nothing of the contacts is shown.
func TestContactsNotShownBeforeValidation(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	const chat = "s"
	var all []dialog.Reply
	all = append(all, h.step(chat, "hola", dialog.ExpectMenu)...)
	all = append(all, h.step(chat, "2", dialog.ExpectCUIL)...)
	all = append(all, h.step(chat, maria, dialog.ExpectDNI)...)
	all = append(all, h.step(chat, "31456789", dialog.ExpectBirthDate)...)
	all = append(all, h.step(chat, "1985-03-14", dialog.ExpectChoice)...)
	all = append(all, h.step("s2", "hola", dialog.ExpectMenu)...)
	all = append(all, h.step("s2", "7", dialog.ExpectCUIL)...)
	all = append(all, h.step("s2", maria, dialog.ExpectCurrentKey)...)
	all = append(all, h.step("s2", "Equivocada1", dialog.ExpectCurrentKey)...)
	if txt := h.shown(all); strings.Contains(txt, "@") || strings.Contains(txt, "gmail") {
		t.Fatalf("a contact shown before validation:\n%s", txt)
	}
}

// Three wrong codes are three failed validations: the CUIL locks for
// every chat, like wrong answers do.
func TestWrongFactorCodesLock(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	const chat = "w"
	toFactor(h, chat)
	c := box.last(t)
	h.step(chat, wrong(c.Value), dialog.ExpectCode, i18n.M("attempts.left", "n", 2))
	h.step(chat, wrong(c.Value), dialog.ExpectCode, i18n.M("attempts.last"))
	h.step(chat, wrong(c.Value), dialog.ExpectChoice, i18n.M("lock.validation"))
	l, _ := h.reg.Lockout(h.ctx, "20314567898", registry.LockValidation)
	if !l.LockedAt(h.now) {
		t.Fatalf("lockout %+v", l)
	}
	h.step("other", "hola", dialog.ExpectMenu)
	h.step("other", "2", dialog.ExpectCUIL)
	// Told when the data are judged, not at the CUIL (issue 8.4).
	h.step("other", maria, dialog.ExpectDNI)
	h.send("other", "31456789")
	h.step("other", "14/03/1985", dialog.ExpectChoice, i18n.M("lock.validation"))
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
	if !has(rs, i18n.M("contacts.use_whatsapp", "phone", "+54 9 11 ****-6789")) {
		t.Fatalf("contacts menu on WhatsApp:\n%s", h.dump(rs))
	}
	rs = h.sendFrom(chat, "3", me)
	if !has(rs, i18n.M("contacts.phone_verified")) || !has(rs, i18n.M("contacts.ask", "phone", verifiedAs("+54 9 11 ****-6789"))) {
		t.Fatalf("after using this WhatsApp:\n%s", h.dump(rs))
	}
	h.sendFrom(chat, "menu", me)
	h.sendFrom(chat, "2", me)
	h.sendFrom(chat, maria, me)
	h.sendFrom(chat, "31456789", me)
	h.sendFrom(chat, "1985-03-15", me) // a slip: one failed validation
	h.sendFrom(chat, "1985-03-14", me)
	for _, q := range h.questions(maria) {
		rs = h.sendFrom(chat, strconv.Itoa(q.Answer+1), me)
	}
	if last(rs).Expect != dialog.ExpectNewKey || !has(rs, i18n.M("factor.whatsapp")) {
		t.Fatalf("recovery from the verified phone:\n%s", h.dump(rs))
	}
	// The whole proof forgets the slip, as a right code does (the
	// questions alone keep it while a factor is to come).
	if l, _ := h.reg.Lockout(h.ctx, "20314567898", registry.LockValidation); l.Failures != 0 {
		t.Fatalf("after the whole proof by phone, %d failures remembered", l.Failures)
	}
	if box.count() != 0 {
		t.Fatalf("%d codes sent", box.count())
	}
	// From another channel the code goes to the phone through the sender
	// (WhatsApp, in serve).
	rs = toFactor(h, "tg")
	if last(rs).Expect != dialog.ExpectCode || box.last(t).To.Value != me {
		t.Fatalf("factor on another channel:\n%s", h.dump(rs))
	}
	if shown := h.shown(rs); strings.Contains(shown, "correo no deseado") {
		t.Fatalf("a code sent to a phone points to the spam folder:\n%s", shown)
	}
}

// A phone typed on a channel that cannot prove it is registered, not
// verified, and is not a second factor.
func TestTypedPhoneIsNotVerified(t *testing.T) {
	h, _ := newContactHarness(t)
	withKey(h, "Primera2024a")
	const chat = "tg"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "7", dialog.ExpectCUIL, i18n.M("contact.intro"))
	h.step(chat, maria, dialog.ExpectCurrentKey)
	h.step(chat, "Primera2024a", dialog.ExpectChoice, contactsMenu)
	h.step(chat, "2", dialog.ExpectPhone)
	h.step(chat, "2345-6789", dialog.ExpectPhone, i18n.M("phone.format"))
	h.step(chat, "011 15 2345-6789", dialog.ExpectChoice, i18n.M("contacts.phone_saved", "phone", "+54 9 11 ****-6789"),
		i18n.M("contacts.ask", "phone", i18n.M("contacts.unverified", "value", "+54 9 11 ****-6789")))
	cs, _ := h.reg.Contacts(h.ctx, "20314567898")
	if cs.Phone.Value != "+5491123456789" || cs.Phone.Verified() {
		t.Fatalf("phone %+v", cs.Phone)
	}
	// Removing asks first (found by hand: the options move once a contact
	// is verified, and a "3" meant as «Listo» removed the e-mail at once).
	h.step(chat, "Quitar mi celular", dialog.ExpectChoice, i18n.M("contacts.remove_phone_sure", "contact", "+54 9 11 ****-6789"))
	h.step(chat, "no", dialog.ExpectChoice, contactsMenu)
	if cs, _ := h.reg.Contacts(h.ctx, "20314567898"); cs.Phone.Value == "" {
		t.Fatal("a declined removal removed the phone")
	}
	h.step(chat, "Quitar mi celular", dialog.ExpectChoice, i18n.M("contacts.remove_phone_sure"))
	h.step(chat, "sí", dialog.ExpectChoice, i18n.M("contacts.removed_phone"), i18n.M("contacts.ask", "phone", i18n.M("contacts.none")))
	h.step(chat, "Listo", dialog.ExpectMenu, i18n.M("contacts.saved"))
}

// When the relay is down the person is told, keeps their place, and
// "reenviar" later sends a code that works.
func TestCodeNotSentLosesNothing(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	box.fail = errs.E(errs.Unavailable, "smtp", errors.New("connection refused"))
	const chat = "down"
	rs := toFactor(h, chat)
	if last(rs).Expect != dialog.ExpectCode || !has(rs, i18n.M("code.unavailable")) {
		t.Fatalf("relay down:\n%s", h.dump(rs))
	}
	h.step(chat, "reenviar", dialog.ExpectCode, i18n.M("code.unavailable")) // still down, no minute lost
	box.fail = nil
	h.step(chat, "Reenviar el código", dialog.ExpectCode, codeSent("m***@gmail.com"))
	h.step(chat, "reenviar", dialog.ExpectCode, i18n.M("code.wait"))
	h.now = h.now.Add(time.Minute)
	h.step(chat, "reenviar", dialog.ExpectCode, codeSent("m***@gmail.com"))
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
	h.step(chat, "Cambiar mis datos de contacto", dialog.ExpectCUIL, i18n.M("contact.intro"))
	h.step(chat, maria, dialog.ExpectCurrentKey)
	rs := h.step(chat, "Primera2024a", dialog.ExpectCode, codeSent("m***@gmail.com"))
	if has(rs, contactsMenu) {
		t.Fatalf("contacts shown before the code:\n%s", h.dump(rs))
	}
	h.step(chat, "volver", dialog.ExpectCode)
	h.step(chat, box.last(t).Value, dialog.ExpectChoice, i18n.M("contacts.change_email"), i18n.M("contacts.remove_email"))
	h.step(chat, "1", dialog.ExpectEmail)
	h.step(chat, "nueva@hotmail.com", dialog.ExpectCode, codeSent("n***@hotmail.com"))
	if to := box.last(t).To.Value; to != "nueva@hotmail.com" {
		t.Fatalf("verify code went to %s", to)
	}
	h.step(chat, box.last(t).Value, dialog.ExpectChoice, i18n.M("contacts.ask", "email", verifiedAs("n***@hotmail.com")))
}

// A question asked at the e-mail or code step is answered and the step
// asked again.
func TestContactStepsAnswerQuestions(t *testing.T) {
	h, _ := newContactHarness(t)
	withKey(h, "Primera2024a")
	const chat = "q"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "7", dialog.ExpectCUIL)
	h.step(chat, maria, dialog.ExpectCurrentKey)
	h.step(chat, "Primera2024a", dialog.ExpectChoice)
	h.step(chat, "1", dialog.ExpectEmail)
	h.step(chat, "para que quieren mi mail?", dialog.ExpectEmail, i18n.M("faq.answer.contact.why"))
	h.step(chat, "maria@gmail.com", dialog.ExpectCode)
	h.step(chat, "no me llego el codigo", dialog.ExpectCode, i18n.M("faq.at_contact_code.contact.code_missing"), i18n.M("ask.code"))
}

// A verified phone no channel here reaches does not leave the person
// waiting: they are told how to prove it instead.
func TestUnreachablePhoneFactor(t *testing.T) {
	h, box := newContactHarness(t)
	withKey(h, "Primera2024a")
	if err := h.reg.SetContact(h.ctx, "20314567898", registry.ContactPhone, "+5491123456789", true, "whatsapp"); err != nil {
		t.Fatal(err)
	}
	box.fail = errs.E(errs.Invalid, "send code", errors.New("no channel reaches phones"))
	rs := toFactor(h, "tg")
	if last(rs).Expect != dialog.ExpectMenu || !has(rs, i18n.M("code.unreachable")) {
		t.Fatalf("unreachable phone:\n%s", h.dump(rs))
	}
}

// An address said in a sentence is the address, at the e-mail step and
// where the contacts menu offers to add one; a phone number typed at the
// menu is added as one. A sentence with two addresses takes neither.
func TestContactTypedWhereItFits(t *testing.T) {
	h, box := newContactHarness(t)
	withKey(h, "Primera2024a")
	const chat = "fits"
	h.toContacts(chat, "Primera2024a")
	h.step(chat, "mi mail es Maria.Gomez@Gmail.com", dialog.ExpectCode, codeSent("m***@gmail.com"))
	c := box.last(t)
	if c.To.Value != "maria.gomez@gmail.com" {
		t.Fatalf("code sent to %q", c.To.Value)
	}
	// The code said in a sentence is the code, and is never kept.
	h.step(chat, "el código es "+c.Value+".", dialog.ExpectChoice, i18n.M("contacts.email_verified", "email", "m***@gmail.com"))
	for _, l := range h.transcript(chat) {
		if strings.Contains(l, c.Value) || strings.Contains(l, "maria.gomez@") {
			t.Fatalf("transcript line %q", l)
		}
	}
	h.step(chat, "1", dialog.ExpectEmail)
	h.step(chat, "es maria@a.com o maria@b.com", dialog.ExpectEmail, i18n.M("email.format"))
	h.step(chat, "Es: maria.gomez@hotmail.com.", dialog.ExpectCode, codeSent("m***@hotmail.com"))
	h.step(chat, "volver", dialog.ExpectChoice, contactsMenu)
	h.step(chat, "11 2345-6789", dialog.ExpectChoice, i18n.M("contacts.phone_saved", "phone", registry.MaskPhone("+5491123456789")))
	h.step(chat, "mi nuevo celular es 351 555-1234", dialog.ExpectChoice, i18n.M("contacts.phone_saved", "phone", registry.MaskPhone("+5493515551234")))
	h.step(chat, "2", dialog.ExpectPhone)
	h.step(chat, "el cel es 0351 15-555-4321.", dialog.ExpectChoice, i18n.M("contacts.phone_saved", "phone", registry.MaskPhone("+5493515554321")))
}

// Asking to add an e-mail, or typing one (or a mobile number) at the menu,
// leads to the contacts: they are offered at once, and a "sí", or the
// address itself, starts them. The answer to how it is done stays.
func TestContactsAskedInWords(t *testing.T) {
	tests := []struct {
		name, text string
		want       i18n.Message
	}{
		{"request", "quiero agregar mi mail", i18n.M("contact.offer_now")},
		{"address at the menu", "lucia.fernandez@gmail.com", i18n.M("contact.offer_typed")},
		{"mistyped address at the menu", "lucia.fernandez@gmail", i18n.M("contact.offer_typed")},
		{"mobile at the menu", "mi celular es 11 2345-6789", i18n.M("contact.offer_typed")},
	}
	for _, tt := range tests {
		for _, yes := range []string{"sí", "ana@gmail.com"} {
			t.Run(tt.name+"/"+yes, func(t *testing.T) {
				h := newHarness(t)
				const chat = "contact"
				h.step(chat, "hola", dialog.ExpectMenu)
				rs := h.step(chat, tt.text, dialog.ExpectChoice, tt.want)
				if has(rs, i18n.M("data.choose_first")) || has(rs, i18n.M("faq.answer.none")) {
					t.Fatalf("contact data read as something else:\n%s", h.dump(rs))
				}
				h.step(chat, yes, dialog.ExpectCUIL, i18n.M("contact.intro"))
			})
		}
	}
	h := newHarness(t)
	h.step("no", "hola", dialog.ExpectMenu)
	h.step("no", "ana@gmail.com", dialog.ExpectChoice, i18n.M("contact.offer_typed"))
	h.step("no", "no", dialog.ExpectMenu)
	// How it is done is still answered as before.
	h.step("no", "como cambio mi mail?", dialog.ExpectChoice, i18n.M("faq.answer.contact.change"))
}

// A CUIL a digit short, or with a wrong last digit, is a CUIL mistyped,
// never a phone: it was offered the contacts' change, which asks for the
// key the person just said they forgot, or was dropped unsaid (found by
// a probe). The flow asked for starts, saying what is wrong with it.
func TestMistypedCUILIsNoPhone(t *testing.T) {
	tests := []struct {
		text   string
		expect dialog.Expect
		want   i18n.Key
	}{
		{"me olvide la clave, mi cuil es 2735218904", dialog.ExpectCUIL, "cuil.length"},
		{"me olvidé la clave mi cuil es 27-35218904-5", dialog.ExpectCUIL, "cuil.check_digit"},
		{"mi cuil es 2735218904", dialog.ExpectMenu, "cuil.length"},
		{"mi cuit es 27-3521890-4", dialog.ExpectMenu, "cuil.length"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "hola", dialog.ExpectMenu)
			rs := h.step("c", tt.text, tt.expect, i18n.M(tt.want))
			if has(rs, i18n.M("contact.offer_typed")) {
				t.Fatalf("a CUIL read as a phone:\n%s", h.dump(rs))
			}
		})
	}
}

// A chat that proved who the person is before a key was created in
// another chat, or before an e-mail was verified in another, replaced
// that key, without the e-mail's code (found by a probe). Both are
// checked again when the key is stored.
func TestProofRecheckedBeforeTheKeyIsStored(t *testing.T) {
	h, box := newContactHarness(t)
	h.toKeyStep("late") // creating, validated, no key yet
	verifiedEmail(h, box)
	h.step("late", "Tardia2025x", dialog.ExpectConfirmKey)
	h.step("late", "Tardia2025x", dialog.ExpectChoice, i18n.M("create.has_key"))
	if res, err := h.reg.Verify(h.ctx, "20314567898", "Primera2024a", "test"); err != nil || res.Status != registry.VerifyOK {
		t.Fatalf("the key created elsewhere was replaced: %+v, %v", res, err)
	}

	h2, box2 := newContactHarness(t)
	withKey(h2, "Primera2024a")
	if rs := toFactor(h2, "rec"); last(rs).Expect != dialog.ExpectNewKey {
		t.Fatalf("recovery without a contact: %s", h2.dump(rs))
	}
	// An e-mail verified elsewhere meanwhile.
	h2.step("setup", "7", dialog.ExpectChoice, contactsMenu)
	h2.step("setup", "1", dialog.ExpectEmail)
	h2.step("setup", "maria.gomez@gmail.com", dialog.ExpectCode)
	h2.step("setup", box2.last(t).Value, dialog.ExpectChoice, i18n.M("contacts.email_verified"))
	h2.now = h2.now.Add(time.Minute)
	h2.step("rec", "Segunda2025b", dialog.ExpectConfirmKey)
	h2.step("rec", "Segunda2025b", dialog.ExpectCode, i18n.M("factor.intro"))
	c := box2.last(t)
	if c.Purpose != registry.CodeFactor {
		t.Fatalf("code %+v", c)
	}
	h2.step("rec", c.Value, dialog.ExpectNewKey)
	h2.step("rec", "Segunda2025b", dialog.ExpectConfirmKey)
	h2.step("rec", "Segunda2025b", dialog.ExpectMenu, i18n.M("done.recover"))
}

// At the contacts, an option said in the person's own words is that
// option: "agregar celular", "el celu", "mail", "add phone", and "nada"
// for Listo. They got the answer on how to change contacts, which sent
// the person to the flow they were in, or on why they are asked (found by
// a probe). A question about them is still answered.
func TestContactOptionsInWords(t *testing.T) {
	tests := []struct {
		text   string
		expect dialog.Expect
		want   i18n.Message
	}{
		{"agregar celular", dialog.ExpectPhone, i18n.M("ask.phone")},
		{"celular", dialog.ExpectPhone, i18n.M("ask.phone")},
		{"el celu", dialog.ExpectPhone, i18n.M("ask.phone")},
		{"quiero agregar mi celular", dialog.ExpectPhone, i18n.M("ask.phone")},
		{"add phone", dialog.ExpectPhone, i18n.M("ask.phone")},
		{"mail", dialog.ExpectEmail, i18n.M("ask.email")},
		{"correo", dialog.ExpectEmail, i18n.M("ask.email")},
		{"agregar correo", dialog.ExpectEmail, i18n.M("ask.email")},
		{"mi e-mail", dialog.ExpectEmail, i18n.M("ask.email")},
		{"nada", dialog.ExpectMenu, i18n.M("contacts.saved")},
		{"ninguno", dialog.ExpectMenu, i18n.M("contacts.saved")},
		{"no, nada más", dialog.ExpectMenu, i18n.M("contacts.saved")},
		{"para que quieren mi mail?", dialog.ExpectChoice, i18n.M("faq.answer.contact.why")},
		// Done, with or without a contact named, opens none (a
		// regression probe: "el mail ya está" opened its change).
		{"ya está, gracias", dialog.ExpectMenu, i18n.M("contacts.saved")},
		{"el mail ya esta", dialog.ExpectChoice, i18n.M("contacts.ask")},
		{"ya está el celular, gracias", dialog.ExpectChoice, i18n.M("contacts.ask")},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			h, _ := newContactHarness(t)
			withKey(h, "Primera2024a")
			h.toContacts("words", "Primera2024a")
			h.step("words", tt.text, tt.expect, tt.want)
		})
	}
}

// Right after a new key the contacts open without the CUIL and the key
// (the identity was just proved), so an address or a number typed at the
// menu then is the answer to the offer. It was told "te pido tu CUIL y tu
// clave, y después el dato", which was false, and the address was lost
// (found by a probe).
func TestContactTypedRightAfterTheKey(t *testing.T) {
	tests := []struct {
		name, text string
		expect     dialog.Expect
		want       i18n.Message
	}{
		{"address", "maria.gomez@gmail.com", dialog.ExpectCode, codeSent("m***@gmail.com")},
		{"address in words", "mi mail es maria.gomez@gmail.com", dialog.ExpectCode, codeSent("m***@gmail.com")},
		{"mistyped address", "maria.gomez@gmail", dialog.ExpectEmail, i18n.M("email.format")},
		{"mobile", "mi celular es 11 2345-6789", dialog.ExpectChoice, i18n.M("contacts.phone_saved", "phone", registry.MaskPhone("+5491123456789"))},
		// Asked for in words, the contacts open (the answer on how it is
		// done said to give the CUIL and the key first).
		{"asked in words", "quiero agregar mi mail", dialog.ExpectChoice, i18n.M("contacts.add_email")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := newContactHarness(t)
			const chat = "after"
			h.toKeyStep(chat)
			h.step(chat, "Primera2024a", dialog.ExpectConfirmKey)
			h.step(chat, "Primera2024a", dialog.ExpectMenu, i18n.M("contacts.offer"))
			rs := h.step(chat, tt.text, tt.expect, tt.want)
			if has(rs, i18n.M("contact.offer_typed")) || has(rs, i18n.M("faq.answer.contact.change")) {
				t.Fatalf("asked for the CUIL and the key again:\n%s", h.dump(rs))
			}
		})
	}
	// A number in a sentence is not taken as the person's own phone (a
	// regression probe: each of these was saved).
	for _, text := range []string{"no quiero dar mi celular 3515551234", "mi hija me ayudó, su cel es 3515551234", "¿me pueden llamar al 3515551234?",
		// Nor a number not said to be a mobile: a CUIL a digit short, a
		// landline (a regression probe).
		"2735218904", "0351 4234567"} {
		t.Run(text, func(t *testing.T) {
			h, _ := newContactHarness(t)
			const chat = "sentence"
			h.toKeyStep(chat)
			h.step(chat, "Primera2024a", dialog.ExpectConfirmKey)
			h.step(chat, "Primera2024a", dialog.ExpectMenu, i18n.M("contacts.offer"))
			if rs := h.send(chat, text); has(rs, i18n.M("contacts.phone_saved")) {
				t.Fatalf("a number in a sentence saved as the person's phone:\n%s", h.dump(rs))
			}
		})
	}
}

// "It hasn't arrived" said in English at the code step is the code
// missing too: it got "the code has 6 digits", and "i didn't get it" the
// answer on how to know the key was created (found by a probe).
func TestCodeMissingSaidInEnglish(t *testing.T) {
	h, _ := newContactHarness(t)
	withKey(h, "Primera2024a")
	const chat = "en"
	h.toContacts(chat, "Primera2024a")
	h.step(chat, "1", dialog.ExpectEmail)
	h.step(chat, "maria@gmail.com", dialog.ExpectCode)
	for _, text := range []string{"it hasn't arrived", "still waiting", "nothing arrived", "i didn't get it",
		"I haven't received anything", "the code never came"} {
		h.step(chat, text, dialog.ExpectCode, i18n.M("faq.at_contact_code.contact.code_missing"), i18n.M("ask.code"))
	}
	// Received, with another trouble, is not missing (a regression probe).
	for _, text := range []string{"i got it but it says it's not valid", "I received it but it's not accepted"} {
		if rs := h.send(chat, text); has(rs, i18n.M("faq.at_contact_code.contact.code_missing")) {
			t.Fatalf("%q read as the code missing:\n%s", text, h.dump(rs))
		}
		h.send(chat, "ninguna") // of the topics, if it was offered some
	}
}

// Losing the verified address, said in the usual ways at the recovery's
// code, is told the way out (an office): "no tengo más ese mail", "no
// puedo entrar a mi mail" got why contacts are asked, which left the
// person waiting for a code that never comes (found by a probe).
func TestFactorContactLostInWords(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	const chat = "lost"
	rs := toFactor(h, chat)
	if last(rs).Expect != dialog.ExpectCode {
		t.Fatalf("no code asked:\n%s", h.dump(rs))
	}
	for _, text := range []string{"no tengo mas ese mail", "no puedo entrar a mi mail", "y si no tengo mas ese correo?",
		"no tengo acceso a ese correo", "ya no uso ese mail", "perdí el celular", "I no longer have that e-mail",
		"I can't access my email"} {
		h.step(chat, text, dialog.ExpectCode, i18n.M("factor.lost"), i18n.M("ask.code"))
	}
	h.step(chat, "para que es el codigo?", dialog.ExpectCode)
	h.step(chat, "12345", dialog.ExpectCode, i18n.M("code.format"))
	// The code lost, or the mail out of reach for a moment, is no lost
	// contact (a regression probe: both were sent to an office).
	for _, text := range []string{"perdí el código, ¿me mandan otro al mail?", "no puedo entrar al mail desde acá, esperá"} {
		if rs := h.step(chat, text, dialog.ExpectCode); has(rs, i18n.M("factor.lost")) {
			t.Fatalf("%q read as the contact lost:\n%s", text, h.dump(rs))
		}
	}
}

// TestRecoveryStartedAgainTakesTheCodeSent: a recovery left at its code
// and started again within the minute was told to wait for another code,
// and the code in the inbox "ya no sirve" (found by a probe). The code
// this chat had sent, for this CUIL and purpose, is taken.
func TestRecoveryStartedAgainTakesTheCodeSent(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	const chat = "again"
	if rs := toFactor(h, chat); last(rs).Expect != dialog.ExpectCode {
		t.Fatalf("no code asked:\n%s", h.dump(rs))
	}
	sent := box.last(t)
	h.step(chat, "cancelar", dialog.ExpectMenu)
	rs := toFactor(h, chat)
	if !has(rs, i18n.M("code.sent_before")) || has(rs, i18n.M("code.wait")) {
		t.Fatalf("started again within the minute:\n%s", h.dump(rs))
	}
	// Another chat is not given it: it waits for the minute.
	if rs := toFactor(h, "other"); !has(rs, i18n.M("code.wait")) {
		t.Fatalf("another chat within the minute:\n%s", h.dump(rs))
	}
	h.step(chat, sent.Value, dialog.ExpectNewKey)

	// A code another chat sent since is the newest in the inbox: this
	// chat's older one is not taken, which judged the newest wrong (a
	// regression probe).
	h.step(chat, "cancelar", dialog.ExpectMenu)
	h.now = h.now.Add(2 * time.Minute)
	toFactor(h, "b")
	newest := box.last(t)
	h.now = h.now.Add(10 * time.Second)
	if rs := toFactor(h, chat); has(rs, i18n.M("code.sent_before")) {
		t.Fatalf("this chat's older code taken after another chat's send:\n%s", h.dump(rs))
	}
	if rs := h.send(chat, newest.Value); has(rs, i18n.M("code.wrong")) {
		t.Fatalf("the newest code in the inbox judged wrong:\n%s", h.dump(rs))
	}
}

// A code the relay did not take is not said sent: the step asked for
// "el código de 6 números que te mandamos a m***@gmail.com" right after
// "No pudimos enviar el código", and the person searched their inbox for
// a code that never left. It now asks to request one again.
func TestCodeNotSentIsNotSaidSent(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	box.fail = errs.E(errs.Unavailable, "smtp", errors.New("connection refused"))
	const chat = "down"
	for _, rs := range [][]dialog.Reply{toFactor(h, chat), h.step(chat, "reenviar", dialog.ExpectCode, i18n.M("code.unavailable"))} {
		if has(rs, i18n.M("ask.code")) || !has([]dialog.Reply{last(rs)}, i18n.M("ask.code_again")) {
			t.Fatalf("relay down:\n%s", h.dump(rs))
		}
	}
	box.fail = nil
	h.step(chat, "reenviar", dialog.ExpectCode, codeSent("m***@gmail.com"), i18n.M("ask.code", "to", "m***@gmail.com"))
	h.step(chat, box.last(t).Value, dialog.ExpectNewKey)
}

// A verified e-mail the relay refuses for good (550: the mailbox is gone)
// is told as an e-mail: the answer was the phone's, "Escribinos por
// WhatsApp desde ese celular", to someone with no phone registered.
func TestUnreachableEmailFactor(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	box.fail = errs.E(errs.Invalid, "send code", errors.New("550 no such user"))
	rs := toFactor(h, "gone")
	if last(rs).Expect != dialog.ExpectMenu || has(rs, i18n.M("code.unreachable")) ||
		!has(rs, i18n.M("code.unreachable_email", "to", "m***@gmail.com")) {
		t.Fatalf("unreachable e-mail:\n%s", h.dump(rs))
	}
}

// TestEmailAtTheKeyIsNotAWrongKey: at «Cambiar mis datos de contacto» the
// bot asks the current key first; the person, who came to add an e-mail,
// typed it ("lucia.fernandez@gmail.com") and got "Esa no es la clave
// actual… Te quedan 3 intentos": counted as a wrong key toward the lock
// (a data probe), where the phone and the DNI typed there were not. An
// address with a real domain is no key (the transcript's masking says so
// too): the person is told the key comes first, and nothing is counted.
// A key with an @ is still a key ("Boca@Juniors.12").
func TestEmailAtTheKeyIsNotAWrongKey(t *testing.T) {
	h := newHarness(t)
	withKey(h, "Primera2024a")
	for _, tt := range []struct {
		menu string
		want i18n.Message
	}{{"7", i18n.M("contact.key_first")}, {"3", i18n.M("change.not_a_key")}} {
		chat := "email-" + tt.menu
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, tt.menu, dialog.ExpectCUIL)
		h.step(chat, maria, dialog.ExpectCurrentKey)
		h.step(chat, "maria.gomez@gmail.com", dialog.ExpectCurrentKey, tt.want)
		if l, _ := h.reg.Lockout(h.ctx, "20314567898", registry.LockKey); l.Failures != 0 {
			t.Fatalf("menu %s: the address counted as a wrong key: %+v", tt.menu, l)
		}
	}
	h.step("email-7", "Boca@Juniors.12", dialog.ExpectCurrentKey, i18n.M("change.wrong_key", "n", 4))
	h.step("email-7", "Primera2024a", dialog.ExpectChoice, i18n.M("contacts.ask"))
}
