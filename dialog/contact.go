package dialog

import (
	"context"
	"strings"
	"time"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// Contact data and one-time codes (CONVERSATION.md, step 7 and "Recover
// and change"): after a new key the bot offers to add an e-mail or a
// phone; an e-mail is verified by a code sent to it, a phone by WhatsApp
// itself (the number the person writes from). Once a CUIL has a verified
// contact, proving identity takes a code sent to it as well (or a
// WhatsApp message from the verified phone). Contacts are shown masked,
// and only to a person who has validated.

// CodeSender delivers a one-time code to its contact: an e-mail over
// SMTP, a phone over WhatsApp. A contact that cannot be reached (an
// address the recipient's server refuses, a phone where no channel
// reaches phones) is errs.Invalid; a delivery that may work later,
// anything else.
type CodeSender interface {
	SendCode(ctx context.Context, c registry.Code) error
}

// WithCodeSender lets the engine send one-time codes. Without one, no
// contact can be verified by code, and a recovery that needs a code
// tells the person it cannot be sent.
func WithCodeSender(s CodeSender) Option { return func(e *Engine) { e.codes = s } }

// codesPerChat bounds the codes one chat may have sent (to new addresses,
// each under registry's minute per contact): a validated person verifies
// one or two addresses, a chat sending many is using the relay.
var codesPerChat = limit{max: 10, per: time.Hour}

// secondFactor follows a proof of identity (the questions, or the current
// key): when the CUIL has a verified contact, the person must also show
// they hold it, by a code sent to it, or by writing from the verified
// phone on WhatsApp. Then the flow goes on.
func (t *turn) secondFactor() error {
	cs, err := t.e.reg.Contacts(t.ctx, t.st.CUIL)
	if err != nil {
		return err
	}
	verified := cs.Verified()
	if len(verified) == 0 {
		return t.validated()
	}
	for _, c := range verified {
		if c.Kind == registry.ContactPhone && t.in.From != "" && t.in.From == c.Value {
			t.event(Event{Name: "factor_channel"})
			t.say("factor.whatsapp")
			return t.validated()
		}
	}
	t.say("factor.intro")
	return t.sendCode(registry.CodeFactor, verified[0])
}

// validated goes on once identity is proved.
func (t *turn) validated() error {
	t.st.Validated = true
	t.st.Code, t.st.CodeTo, t.st.CodeFor = "", "", ""
	if t.st.Flow == FlowContact {
		t.contactsMenu()
		return nil
	}
	return t.startNewKey()
}

// sendCode issues a code of purpose to to and sends it. Whatever fails,
// the person keeps their place: at the code step, from where "reenviar"
// tries again.
func (t *turn) sendCode(purpose registry.CodePurpose, to registry.Contact) error {
	if ok, retry, err := t.allow(codesPerChat.on(limitKey("code:chat", t.in.Chat))); err != nil || !ok {
		if err != nil {
			return err
		}
		t.say("code.limited", "until", t.now.Add(max(retry, time.Minute)))
		return t.afterUnsent(purpose)
	}
	c, err := t.e.reg.IssueCode(t.ctx, t.st.CUIL, purpose, to)
	if err != nil {
		return err
	}
	return t.deliver(purpose, c)
}

// deliver sends a code just issued and moves to the code step.
func (t *turn) deliver(purpose registry.CodePurpose, c registry.Code) error {
	if !c.WaitUntil.IsZero() {
		t.say("code.wait", "until", c.WaitUntil)
		return t.afterUnsent(purpose)
	}
	st := t.st
	st.Code, st.CodeTo, st.CodeFor = c.Ref, c.To.Masked(), purpose
	err := errs.E(errs.Unavailable, "send code", errNoSender)
	if t.e.codes != nil {
		err = t.e.codes.SendCode(t.ctx, c)
	}
	if err == nil {
		t.event(Event{Name: "code_sent", Intent: string(purpose)})
		t.say("code.sent", "to", st.CodeTo)
		t.prompt2(StepCode)
		return nil
	}
	t.e.log.Warn("code not sent", "to", st.CodeTo, "err", err)
	if cerr := t.e.reg.CancelCode(context.WithoutCancel(t.ctx), c); cerr != nil {
		t.e.log.Warn("cancel code failed", "err", cerr)
	}
	switch {
	case errs.Is(errs.Invalid, err) && purpose == registry.CodeVerify:
		st.Code, st.CodeTo, st.CodeFor = "", "", ""
		t.say("code.bad_address", "to", c.To.Masked())
		t.prompt2(StepEmail)
		return nil
	case errs.Is(errs.Invalid, err):
		// This contact cannot be reached from here (a phone where no
		// WhatsApp runs): waiting will not help.
		t.event(Event{Name: "code_unreachable"})
		t.say("code.unreachable", "to", c.To.Masked())
		t.menuAgain()
		return nil
	}
	t.say("code.unavailable")
	t.prompt2(StepCode)
	return nil
}

var errNoSender = errs.New(errs.Unavailable, "no code sender configured")

// afterUnsent is where a person whose code was not sent waits: at the
// code step when a code is pending, else the contacts menu (a new
// address), else the code step, to ask again.
func (t *turn) afterUnsent(purpose registry.CodePurpose) error {
	if t.st.Code == "" && purpose == registry.CodeVerify {
		t.contactsMenu()
		return nil
	}
	t.st.CodeFor = purpose
	t.prompt2(StepCode)
	return nil
}

// offerContacts follows a new key created or recovered: the bot offers
// to add contact data, and shows the menu again (scripts and people
// expect it there). Choosing "Cambiar mis datos de contacto" next goes
// straight to the contacts, the identity just proved; anything else
// forgets it.
func (t *turn) offerContacts() error {
	cuil := t.st.CUIL
	cs, err := t.e.reg.Contacts(t.ctx, cuil)
	if err != nil {
		return err
	}
	if len(cs.Verified()) < len(registry.ContactKinds) {
		t.say("contacts.offer")
	}
	t.menuAgain()
	t.st.CUIL, t.st.Offered = cuil, true
	return nil
}

// startContacts begins the contact flow: at once after a new key (see
// offerContacts), else from the CUIL and the current key.
func (t *turn) startContacts(offered bool, cuil registry.CUIL) error {
	t.st.Flow = FlowContact
	if offered {
		t.st.CUIL, t.st.Validated = cuil, true
		t.contactsMenu()
		return nil
	}
	t.say("contact.intro")
	t.prompt2(StepCUIL)
	return nil
}

// contactAction is one option of the contacts menu.
type contactAction struct {
	label i18n.Message
	do    func(t *turn) error
}

// contactActions are the options for the person's contacts cs.
func (t *turn) contactActions(cs registry.Contacts) []contactAction {
	var out []contactAction
	label := func(kind registry.ContactKind, add, change i18n.Key) i18n.Message {
		if cs.Get(kind).Value == "" {
			return i18n.M(add)
		}
		return i18n.M(change)
	}
	out = append(out,
		contactAction{label(registry.ContactEmail, "contacts.add_email", "contacts.change_email"), func(t *turn) error { t.prompt2(StepEmail); return nil }},
		contactAction{label(registry.ContactPhone, "contacts.add_phone", "contacts.change_phone"), func(t *turn) error { t.prompt2(StepPhone); return nil }})
	if from := t.in.From; from != "" && !(cs.Phone.Value == from && cs.Phone.Verified()) {
		out = append(out, contactAction{i18n.M("contacts.use_whatsapp", "phone", registry.MaskPhone(from)), func(t *turn) error {
			return t.savePhone(from)
		}})
	}
	for _, k := range registry.ContactKinds {
		if cs.Get(k).Value != "" {
			out = append(out, contactAction{i18n.M(removeKeys[k][0]), func(t *turn) error { return t.removeContact(k) }})
		}
	}
	return append(out, contactAction{i18n.M("contacts.done"), func(t *turn) error { t.menuAgain(); return nil }})
}

// contactsMenu shows the person's contacts, masked, and what they can do.
func (t *turn) contactsMenu() {
	cs, err := t.e.reg.Contacts(t.ctx, t.st.CUIL)
	if err != nil {
		t.e.log.Warn("contacts unreadable", "err", err)
		t.say("error.unavailable")
		t.menuAgain()
		return
	}
	t.st.Code, t.st.CodeTo, t.st.CodeFor = "", "", ""
	acts := t.contactActions(cs)
	opts := make([]i18n.Message, len(acts))
	for i, a := range acts {
		opts[i] = a.label
	}
	m := i18n.M("contacts.ask", "email", shownContact(cs.Email), "phone", shownContact(cs.Phone))
	t.ask(StepContacts, m, opts...)
}

// shownContact is a contact as a validated person sees it: masked, and
// whether it is verified.
func shownContact(c registry.Contact) i18n.Message {
	switch {
	case c.Value == "":
		return i18n.M("contacts.none")
	case c.Verified():
		return i18n.M("contacts.verified", "value", c.Masked())
	}
	return i18n.M("contacts.unverified", "value", c.Masked())
}

// onContactStep reads an answer at a contact step. They are reached only
// by a person who has validated; a state that says otherwise goes back to
// the menu, and the code step also serves a recovery's second factor.
func (t *turn) onContactStep(text string) error {
	st := t.st
	if st.Step == StepCode {
		return t.onCode(text)
	}
	if !st.Validated || st.CUIL == "" {
		t.menu()
		return nil
	}
	switch st.Step {
	case StepEmail:
		return t.onEmail(text)
	case StepPhone:
		return t.onPhone(text)
	}
	cs, err := t.e.reg.Contacts(t.ctx, st.CUIL)
	if err != nil {
		return err
	}
	acts := t.contactActions(cs)
	opts := make([]i18n.Message, len(acts))
	for i, a := range acts {
		opts[i] = a.label
	}
	i := t.e.matchOption(text, opts)
	if i < 0 {
		return t.questionOr(text, "choice.invalid", "n", len(opts))
	}
	return acts[i].do(t)
}

func (t *turn) onEmail(text string) error {
	email, err := registry.ParseEmail(text)
	if err != nil {
		return t.questionOr(text, "email.format")
	}
	return t.sendCode(registry.CodeVerify, registry.Contact{Kind: registry.ContactEmail, Value: email})
}

func (t *turn) onPhone(text string) error {
	phone, err := registry.ParsePhone(text)
	if err != nil {
		return t.questionOr(text, "phone.format")
	}
	return t.savePhone(phone)
}

// savePhone registers phone: verified when it is the number the person
// writes from on WhatsApp, otherwise not (no channel here proves it).
func (t *turn) savePhone(phone string) error {
	verified := t.in.From != "" && t.in.From == phone
	if err := t.e.reg.SetContact(t.ctx, t.st.CUIL, registry.ContactPhone, phone, verified, t.in.Channel); err != nil {
		return err
	}
	t.event(Event{Name: "contact_set", Intent: "phone"})
	if verified {
		t.say("contacts.phone_verified", "phone", registry.MaskPhone(phone))
	} else {
		t.say("contacts.phone_saved", "phone", registry.MaskPhone(phone))
	}
	t.contactsMenu()
	return nil
}

// removeKeys are, by kind, the option that removes a contact and what is
// said once it is removed.
var removeKeys = map[registry.ContactKind][2]i18n.Key{
	registry.ContactEmail: {"contacts.remove_email", "contacts.removed_email"},
	registry.ContactPhone: {"contacts.remove_phone", "contacts.removed_phone"},
}

func (t *turn) removeContact(k registry.ContactKind) error {
	if err := t.e.reg.RemoveContact(t.ctx, t.st.CUIL, k, t.in.Channel); err != nil {
		return err
	}
	t.event(Event{Name: "contact_removed", Intent: string(k)})
	t.say(removeKeys[k][1])
	t.contactsMenu()
	return nil
}

// resendWords ask for another code.
var resendWords = map[string]bool{
	"reenviar": true, "reenviar codigo": true, "reenviar el codigo": true, "reenvia": true, "reenviamelo": true,
	"mandamelo de nuevo": true, "otro codigo": true, "resend": true, "resend code": true, "resend the code": true,
}

func codeOptions() []i18n.Message { return []i18n.Message{i18n.M("code.option_resend")} }

// onCode reads a one-time code: judged by the registry against the
// CUIL's validation count, so wrong codes lock like failed validations.
func (t *turn) onCode(text string) error {
	st := t.st
	if st.CUIL == "" || (st.CodeFor == registry.CodeVerify && !st.Validated) {
		t.menu()
		return nil
	}
	if t.e.matchOption(text, codeOptions()) == 0 || resendWords[fold(text)] {
		return t.resendCode()
	}
	value, ok := registry.IsCode(text)
	if !ok {
		return t.questionOr(text, "code.format")
	}
	if st.Code == "" {
		t.say("code.expired")
		t.prompt()
		return nil
	}
	res, err := t.e.reg.CheckCode(t.ctx, st.CUIL, st.Code, value, t.in.Channel)
	if err != nil {
		return err
	}
	return t.codeChecked(res)
}

func (t *turn) codeChecked(res registry.CodeCheck) error {
	st := t.st
	switch res.Status {
	case registry.CodePassed:
		t.event(Event{Name: "code_passed", Intent: string(res.Purpose)})
		if res.Purpose == registry.CodeVerify {
			t.say("contacts.email_verified", "email", res.To.Masked())
			t.contactsMenu()
			return nil
		}
		return t.validated()
	case registry.CodeLocked:
		t.locked(res.Lockout.Until)
		return nil
	case registry.CodeBusy:
		return t.validationRefused(registry.Attempt{Status: registry.AttemptBusy, Lockout: res.Lockout})
	case registry.CodeExpired:
		st.Code = ""
		t.say("code.expired")
		t.prompt()
		return nil
	}
	t.event(Event{Name: "code_wrong", Intent: string(st.CodeFor)})
	if res.Lockout.LockedAt(t.now) {
		t.locked(res.Lockout.Until)
		return nil
	}
	t.say("code.wrong")
	t.attemptsLeft(res.Lockout)
	t.prompt()
	return nil
}

// resendCode sends another code to where the last one went, or, when
// there is none to follow (it expired or was used), to the contact the
// step is about.
func (t *turn) resendCode() error {
	st := t.st
	if st.Code != "" {
		c, err := t.e.reg.ResendCode(t.ctx, st.CUIL, st.Code)
		if err == nil {
			if ok, retry, err := t.allow(codesPerChat.on(limitKey("code:chat", t.in.Chat))); err != nil || !ok {
				if err != nil {
					return err
				}
				t.say("code.limited", "until", t.now.Add(max(retry, time.Minute)))
				t.prompt()
				return nil
			}
			return t.deliver(st.CodeFor, c)
		}
		if !errs.Is(errs.NotFound, err) {
			return err
		}
	}
	if st.CodeFor == registry.CodeVerify {
		st.Code = ""
		t.prompt2(StepEmail)
		return nil
	}
	return t.secondFactor()
}

// contactPrompt asks a contact step's question again.
func (t *turn) contactPrompt() {
	switch t.st.Step {
	case StepEmail:
		t.ask(StepEmail, i18n.M("ask.email"))
	case StepPhone:
		t.ask(StepPhone, i18n.M("ask.phone"))
	case StepCode:
		if t.st.CodeTo == "" {
			t.ask(StepCode, i18n.M("ask.code_again"), codeOptions()...)
			return
		}
		t.ask(StepCode, i18n.M("ask.code", "to", t.st.CodeTo), codeOptions()...)
	default:
		if !t.st.Validated {
			t.menu()
			return
		}
		t.contactsMenu()
	}
}

// contactBack is "volver" at a contact step: back to the contacts menu;
// from a second factor's code, nowhere (the identity already judged).
func (t *turn) contactBack() {
	if t.st.Step == StepCode && t.st.CodeFor == registry.CodeFactor {
		t.prompt()
		return
	}
	if t.st.Step == StepContacts || !t.st.Validated {
		t.menu()
		return
	}
	t.contactsMenu()
}

// transcribeContact writes the person's answer at a contact step into
// the transcript the desk sees, masked: an address or number as the bot
// shows it, a code never. It reports whether it wrote anything.
func (t *turn) transcribeContact(text string) bool {
	var m i18n.Message
	switch t.st.Step {
	case StepEmail:
		m = i18n.Raw(registry.MaskEmails(truncate(text, 500)))
	case StepPhone:
		m = i18n.Raw(hideDigits(truncate(text, 500)))
		if p, err := registry.ParsePhone(text); err == nil {
			m = i18n.Raw(registry.MaskPhone(p))
		}
	case StepCode:
		if _, ok := registry.IsCode(text); !ok {
			return false
		}
		m = i18n.M("transcript.hidden_code")
	default:
		return false
	}
	t.st.addLine(t.now, "person", m)
	return true
}

// hideDigits hides every digit of text (a phone typed in a way the
// parser did not take), keeping its shape.
func hideDigits(text string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '*'
		}
		return r
	}, text)
}

// SenderPhone is the E.164 form of a number a channel delivered a message
// from, as digits with the country code ("5491123456789"), for
// Inbound.From; "" when it is not a phone number.
func SenderPhone(digits string) string {
	p, err := registry.ParsePhone("+" + strings.TrimPrefix(digits, "+"))
	if err != nil {
		return ""
	}
	return p
}
