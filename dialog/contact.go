package dialog

import (
	"context"
	"slices"
	"strconv"
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
// contact, proving identity takes a code sent to it as well (StepFactor),
// or a WhatsApp message from the verified phone. Contacts are shown
// masked, and only to a person who has validated.

// WithCodeSender lets the engine send one-time codes. Without one, no
// contact can be verified by code, and a recovery that needs a code
// tells the person it cannot be sent.
func WithCodeSender(s CodeSender) Option {
	return func(e *Engine) {
		if s != nil { // nil is none, as it always was
			e.codes = s
		}
	}
}

// codesPerChat bounds the codes one chat may have sent (to new addresses,
// each under registry's minute per contact): a validated person verifies
// one or two addresses, a chat sending many is using the relay.
var codesPerChat = limit{key: "code", max: 10, per: time.Hour, chat: true}

// codesPerCUIL bounds the codes sent to new addresses of one CUIL, across
// chats and replicas: the chat's own limit held one chat, and a person
// with their own key opened chat after chat to have the bot write to 40
// addresses an hour (an attack probe). A code to a verified contact (the
// second factor) is not counted here: it goes to one contact only, a
// minute apart.
var codesPerCUIL = limit{max: 10, per: time.Hour}

// factorCodesPerCUIL bounds the codes sent to a CUIL's verified contact
// (the second factor), across chats and replicas, counting only codes
// that were issued: each chat within its ten and the contact within its
// minute, someone who had passed the questions in six chats had the bot
// write to the person's mailbox every minute, and kept their own
// recovery at "ya te mandamos un código" (an attack probe). A person
// asks for one, and again once or twice when it is slow to arrive.
var factorCodesPerCUIL = limit{max: 5, per: time.Hour}

// secondFactor is StepFactor's gate, after a proof of identity (the
// questions, or the current key): when the CUIL has a verified contact,
// the person must also show they hold it, by a code sent to it, or by
// writing from the verified phone on WhatsApp. Then the flow goes on.
func (t *turn) secondFactor() error {
	if !t.st.Identified && !t.st.Validated {
		return t.factorUnproved()
	}
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
			if err := t.e.reg.FactorProved(t.ctx, t.st.CUIL); err != nil {
				return err
			}
			t.say("factor.whatsapp")
			t.st.Factor = true
			return t.validated()
		}
	}
	t.say("factor.intro")
	return t.sendCode(StepFactor, verified[0])
}

// factorUnproved answers the second factor's step in a chat that proved
// nothing: a state written into Redis from outside the engine (an attack
// test: TestForgedFactorStepProvesNothing). The step is reached only once
// the chat proved who it is (Identified) or validated, both sealed; it
// asked the registry for the CUIL's verified contacts, and, with none,
// took the identity as proved: a key stored for any CUIL without one, its
// key changed, its contacts opened. With one, a code went to it. Now
// nothing is asked of the registry: the drop is logged and counted as a
// forged proof's, the person told, and the menu shown.
func (t *turn) factorUnproved() error {
	t.e.log.Warn("a chat at the second factor proved no identity: dropped (a write to Redis from outside the engine)",
		"flow", t.st.Flow)
	t.event(Event{Name: "proof_dropped", Flow: t.st.Flow})
	t.say("proof.again")
	t.menu()
	return nil
}

// validated goes on past the second factor: identity is proved. The
// flows that prove the key (contacts, change) note which key it was (see
// keyStillProved).
func (t *turn) validated() error {
	if t.st.Flow == FlowContact || t.st.Flow == FlowChange {
		if err := t.keyProved(); err != nil {
			return err
		}
	}
	t.st.Validated, t.st.Identified = true, false
	t.st.Code, t.st.CodeTo = "", ""
	steps := t.flowDef().steps
	i := slices.Index(steps, StepFactor)
	if i < 0 || i+1 >= len(steps) {
		t.menu()
		return nil
	}
	return t.begin(steps[i+1])
}

// purposeOf is what the code of a code step proves.
func purposeOf(s Step) registry.CodePurpose {
	if s == StepFactor {
		return registry.CodeFactor
	}
	return registry.CodeVerify
}

// sendCode issues a code for step (StepFactor or StepCode) to to and sends
// it. Whatever fails, the person keeps their place: at the code step,
// from where "reenviar" tries again.
func (t *turn) sendCode(step Step, to registry.Contact) error {
	if ok, err := t.allowCode(step); !ok || err != nil {
		return err
	}
	c, err := t.e.reg.IssueCode(t.ctx, t.st.CUIL, purposeOf(step), to)
	if errs.Is(errs.Unavailable, err) && step == StepFactor {
		return t.codeNotIssued(err)
	}
	if err != nil {
		return err
	}
	return t.deliver(step, c)
}

// codeNotIssued keeps the person at the second factor when the database
// could not issue its code: reached right after the questions passed, a
// failed turn sent them back to the menu to validate again (a judged
// round cannot be asked again), though only the code was missing. As when
// the relay is down, «Reenviar el código» tries again.
func (t *turn) codeNotIssued(err error) error {
	t.e.log.Warn("dependency unavailable during turn", "channel", t.in.Channel, "err", err)
	t.event(Event{Name: "unavailable"})
	t.st.Code, t.st.CodeTo = "", ""
	t.say("code.unavailable")
	t.enter(StepFactor)
	return nil
}

// allowCode counts a code against the chat's limit and, for a new
// address, the CUIL's; over either, the person is told until when and
// waits at step.
func (t *turn) allowCode(step Step) (bool, error) {
	perCUIL := limit{}
	if step == StepCode {
		perCUIL = codesPerCUIL.on(limitKey(limitCUILCodes, string(t.st.CUIL)))
	}
	ok, retry, err := t.allow(codesPerChat, perCUIL)
	if err != nil || ok {
		return ok, err
	}
	t.say("code.limited", "until", t.now.Add(max(retry, time.Minute)))
	return false, t.waitCode(step)
}

// deliver sends a code just issued and waits for it at step.
func (t *turn) deliver(step Step, c registry.Code) error {
	if !c.LockedUntil.IsZero() {
		return t.contactCodesLocked(registry.CodeCheck{Status: registry.CodeLocked, Lockout: registry.Lockout{Until: c.LockedUntil}})
	}
	if ok, err := t.factorBudget(step, c); !ok || err != nil {
		return err
	}
	st := t.st
	if !c.WaitUntil.IsZero() {
		if ref, to, ok := t.sentCode(purposeOf(step), c.WaitUntil); ok && st.Code == "" {
			// The code sent a moment ago, in a flow this chat left, is
			// the one in the person's inbox: it is taken here. ("Reenviar"
			// within the minute still waits for it.)
			st.Code, st.CodeTo = ref, to
			t.say("code.sent_before", "to", to)
			t.enter(step)
			return nil
		}
		t.say("code.wait", "until", c.WaitUntil)
		return t.waitCode(step)
	}
	st.Code, st.CodeTo = c.Ref, c.To.Masked()
	err := t.e.codes.SendCode(t.ctx, c)
	if err == nil {
		t.sent = &c
		st.SentCode = strings.Join([]string{string(st.CUIL), string(c.Purpose), c.Ref, st.CodeTo,
			strconv.FormatInt(c.Sent().UnixMilli(), 10)}, "|")
		t.event(Event{Name: "code_sent", Intent: string(c.Purpose)})
		// The spam folder is an e-mail's; a phone's code is told without it.
		sent := i18n.Key("code.sent")
		if c.To.Kind == registry.ContactPhone {
			sent = "code.sent_phone"
		}
		t.say(sent, "to", st.CodeTo)
		t.enter(step)
		return nil
	}
	t.e.log.Warn("code not sent", "to", st.CodeTo, "err", err)
	if cerr := t.e.reg.CancelCode(context.WithoutCancel(t.ctx), c); cerr != nil {
		t.e.log.Warn("cancel code failed", "err", cerr)
	}
	switch {
	case errs.Is(errs.Invalid, err) && step == StepCode:
		st.Code, st.CodeTo = "", ""
		t.say("code.bad_address", "to", c.To.Masked())
		t.enter(StepEmail)
		return nil
	case errs.Is(errs.Invalid, err):
		// This contact cannot be reached from here (a phone where no
		// WhatsApp runs): waiting will not help.
		t.event(Event{Name: "code_unreachable"})
		unreachable := i18n.Key("code.unreachable")
		if c.To.Kind == registry.ContactEmail {
			// A mailbox gone (550): the phone's way, a WhatsApp
			// message from it, is no way for an e-mail.
			unreachable = "code.unreachable_email"
		}
		t.say(unreachable, "to", c.To.Masked())
		t.menuAgain()
		return nil
	}
	// The code is kept for "reenviar", but it went nowhere: the step
	// asks for a new one, not for "el código que te mandamos". Counted,
	// so a relay down reaches an alert (ClavebotCodesUnsent), not only
	// the log.
	t.event(Event{Name: "code_unsent", Intent: string(c.Purpose)})
	st.CodeTo = ""
	t.say("code.unavailable")
	t.enter(step)
	return nil
}

// factorBudget counts a second factor's code just issued against the
// CUIL's codes for the hour. Past them the code is not sent, its minute
// is given back, and the person is told until when, without being blamed
// for asking (the codes may have been asked by someone else who knew
// their data).
func (t *turn) factorBudget(step Step, c registry.Code) (bool, error) {
	if step != StepFactor || c.Ref == "" {
		return true, nil
	}
	ok, retry, err := t.allow(factorCodesPerCUIL.on(limitKey(limitCUILFactorCodes, string(t.st.CUIL))))
	if err == nil && ok {
		return true, nil
	}
	if cerr := t.e.reg.CancelCode(context.WithoutCancel(t.ctx), c); cerr != nil {
		t.e.log.Warn("cancel code failed", "err", cerr)
	}
	if err != nil {
		return false, err
	}
	t.event(Event{Name: "factor_limited"})
	t.say("factor.limited", "to", c.To.Masked(), "until", t.now.Add(max(retry, time.Minute)))
	return false, t.waitCode(step)
}

// sentCode returns the reference of the last code this chat had sent, and
// where it went, when it was for the chat's CUIL and purpose and it is
// the send that holds the next one until waitUntil: a code another chat
// sent since is the newest in the inbox, and this chat's older one would
// have judged it wrong (a regression probe).
func (t *turn) sentCode(purpose registry.CodePurpose, waitUntil time.Time) (ref, to string, ok bool) {
	parts := strings.Split(t.st.SentCode, "|")
	if len(parts) != 5 || parts[0] != string(t.st.CUIL) || parts[1] != string(purpose) || parts[2] == "" {
		return "", "", false
	}
	ms, err := strconv.ParseInt(parts[4], 10, 64)
	if d := waitUntil.Sub(time.UnixMilli(ms).Add(registry.CodeGap)); err != nil || d < -time.Second || d > time.Second {
		return "", "", false
	}
	return parts[2], parts[3], true
}

// waitCode is where a person whose code was not sent waits: a new
// address without a code pending goes back to the contacts; otherwise
// the code step, from where "reenviar" asks again.
func (t *turn) waitCode(step Step) error {
	if t.st.Code == "" && step == StepCode {
		t.enter(StepContacts)
		return nil
	}
	t.enter(step)
	return nil
}

// offerContacts follows a new key created or recovered: the bot offers
// to add contact data, and shows the menu again (scripts and people
// expect it there). Choosing "Cambiar mis datos de contacto" next goes
// straight to the contacts, the identity just proved; anything else
// forgets it.
func (t *turn) offerContacts() error {
	cuil, factor := t.st.CUIL, t.st.Factor
	cs, err := t.e.reg.Contacts(t.ctx, cuil)
	if err != nil {
		return err
	}
	t.sayContactsOffer(cs)
	t.menuAgain()
	t.st.CUIL, t.st.Offered, t.st.Factor = cuil, true, factor
	return t.keyProved()
}

// sayContactsOffer offers what the person's contacts lack: either kind,
// or the other one where one is verified (the person who had verified
// an e-mail was told again "podés agregar un correo o un celular", as
// if it were not there: a people probe); nothing where both are.
func (t *turn) sayContactsOffer(cs registry.Contacts) {
	switch v := cs.Verified(); {
	case len(v) == 0:
		t.say("contacts.offer")
	case len(v) == len(registry.ContactKinds):
	case v[0].Kind == registry.ContactEmail:
		t.say("contacts.offer_phone_too")
	default:
		t.say("contacts.offer_email_too")
	}
}

// keyProved notes in the chat when the CUIL's key, the one just proved or
// stored, was stored.
func (t *turn) keyProved() error {
	at, err := t.e.reg.KeySetAt(t.ctx, t.st.CUIL)
	if err != nil {
		return err
	}
	t.st.KeyAt = at.UnixMilli()
	return nil
}

// keyStillProved reports whether the CUIL's key is still the one this
// chat proved, or stored, before its contacts opened, or before its new
// key in a change. A chat that proved a key, kept alive, went on changing
// the contacts after the key was recovered in another chat: a stranger who
// had learnt the key put their own address in the place of the one the
// owner verified with the new key, and with it the second factor of every
// recovery after; and at «Cambiar mi clave» stored their own key over the
// one recovered (attack probes). Once the key changed, the chat is asked
// for the key again, in its flow, the CUIL kept.
func (t *turn) keyStillProved() (bool, error) {
	if same, err := t.keyUnchanged(); same || err != nil {
		return same, err
	}
	cuil, flow, said := t.st.CUIL, FlowContact, i18n.Key("contact.key_changed")
	if t.st.Flow == FlowChange {
		flow, said = FlowChange, "change.key_changed"
	}
	t.event(Event{Name: "proof_stale", Flow: flow})
	t.st.reset()
	t.st.Flow, t.st.CUIL = flow, cuil
	t.say(said)
	t.enter(StepCurrentKey)
	return false, nil
}

// contactFlow begins the contact flow: at the contacts right after a new
// key (see offerContacts), else from the CUIL, the key and the second
// factor.
func (t *turn) contactFlow() error {
	if t.intoOfferedContacts(StepContacts) {
		t.defOf(StepContacts).ask(t)
		return nil
	}
	t.st.reset()
	t.st.Flow = FlowContact
	t.say("contact.intro")
	t.enter(StepCUIL)
	return nil
}

// intoOfferedContacts moves a chat whose contacts were just offered (see
// offerContacts) into the contact flow at step, with the CUIL just proved,
// asking nothing; false when they were not offered.
func (t *turn) intoOfferedContacts(step Step) bool {
	if !t.st.Offered || t.st.CUIL == "" {
		return false
	}
	cuil, keyAt, factor := t.st.CUIL, t.st.KeyAt, t.st.Factor
	t.st.reset()
	t.st.Flow, t.st.CUIL, t.st.Validated, t.st.KeyAt, t.st.Factor = FlowContact, cuil, true, keyAt, factor
	t.moveTo(step)
	return true
}

// contactTyped takes an address or a number typed at the menu right after
// a new key as the answer to the contacts' offer: they open then without
// the CUIL and the key, so the offer to ask for those first was false,
// and the address was lost. It reports whether it took text.
//
// Only a message that is the contact, with at most its label ("mi mail es
// …"): a sentence around a number ("no quiero dar mi celular …", "mi hija
// me ayudó, su cel es …", "¿me pueden llamar al …?") saved it as the
// person's own phone (found by a regression probe).
func (t *turn) contactTyped(text string) (bool, error) {
	if t.st.Step != StepMenu || !contactShaped(text, t.reading()) || !onlyContact(text) {
		return false, nil
	}
	if strings.Contains(text, "@") {
		if !t.intoOfferedContacts(StepEmail) {
			return false, nil
		}
		return true, t.onEmail(text)
	}
	// A number alone may be anything: a CUIL a digit short, a landline
	// (a regression probe: both were saved as the person's mobile). It
	// is taken when said to be one ("mi celular es …").
	if !slices.ContainsFunc(foldedWords(text), func(w string) bool { return contactKindWords[w] == registry.ContactPhone }) {
		return false, nil
	}
	if !t.intoOfferedContacts(StepPhone) {
		return false, nil
	}
	return true, t.onPhone(text)
}

// contactLabels are the words that may come with a contact typed alone,
// folded.
var contactLabels = set("mi", "el", "la", "es", "mail", "email", "e", "correo", "electronico", "celular", "cel",
	"celu", "telefono", "numero", "nro", "de", "whatsapp", "wsp", "my", "is", "phone", "number", "address", "the")

// onlyContact reports whether text is an address or a number with, at
// most, its label: no question, and no word but the labels besides the
// address and the number's groups.
func onlyContact(text string) bool {
	if strings.ContainsAny(text, "?¿") {
		return false
	}
	for _, f := range strings.Fields(text) {
		if strings.ContainsAny(f, "@0123456789") {
			continue
		}
		for _, w := range foldedWords(f) {
			if !contactLabels[w] {
				return false
			}
		}
	}
	return true
}

// contactAction is one option of the contacts menu.
type contactAction struct {
	label i18n.Message
	do    func(t *turn) error
}

// contactActions are the options for the person's contacts cs.
func (t *turn) contactActions(cs registry.Contacts) []contactAction {
	label := func(kind registry.ContactKind, add, change i18n.Key) i18n.Message {
		if cs.Get(kind).Value == "" {
			return i18n.M(add)
		}
		return i18n.M(change)
	}
	out := []contactAction{
		{label(registry.ContactEmail, "contacts.add_email", "contacts.change_email"), func(t *turn) error { t.enter(StepEmail); return nil }},
		{label(registry.ContactPhone, "contacts.add_phone", "contacts.change_phone"), func(t *turn) error { t.enter(StepPhone); return nil }},
	}
	if from := t.in.From; from != "" && !(cs.Phone.Value == from && cs.Phone.Verified()) {
		out = append(out, contactAction{i18n.M("contacts.use_whatsapp", "phone", registry.MaskPhone(from)), func(t *turn) error {
			return t.savePhone(from)
		}})
	}
	for _, k := range registry.ContactKinds {
		if cs.Get(k).Value != "" {
			out = append(out, contactAction{i18n.M(removeKeys[k][0]), func(t *turn) error {
				t.offer(Offer{Kind: OfferRemoveContact, Flow: FlowContact, Topic: string(k),
					Msg: i18n.M(removeKeys[k][2], "contact", cs.Get(k).Masked())})
				return nil
			}})
		}
	}
	return append(out, contactAction{i18n.M("contacts.done"), func(t *turn) error {
		t.event(Event{Name: "done", Flow: FlowContact})
		t.say(t.flowDef().done)
		t.menuAgain()
		return nil
	}})
}

// removeKeys are, by kind, the option that removes a contact, what is
// said once it is removed, and the question that asks first.
var removeKeys = map[registry.ContactKind][3]i18n.Key{
	registry.ContactEmail: {"contacts.remove_email", "contacts.removed_email", "contacts.remove_email_sure"},
	registry.ContactPhone: {"contacts.remove_phone", "contacts.removed_phone", "contacts.remove_phone_sure"},
}

// contacts reads the person's contacts for a contact step; a chat that
// has not validated is sent to the menu instead, and one whose key
// changed since it proved it is asked for the key again (ok false).
func (t *turn) contacts() (registry.Contacts, bool, error) {
	if !t.st.Validated || t.st.CUIL == "" {
		t.menu()
		return registry.Contacts{}, false, nil
	}
	if ok, err := t.proofHolds(); !ok || err != nil {
		return registry.Contacts{}, false, err
	}
	cs, err := t.e.reg.Contacts(t.ctx, t.st.CUIL)
	return cs, err == nil, err
}

// proofHolds reports whether the chat's proof still opens the contacts:
// the key it proved is the CUIL's (keyStillProved), and, when it proved
// no second factor, the CUIL has no verified contact still. Contacts
// opened with the key alone stayed open after the person verified an
// e-mail in another chat, so that the key alone would no longer do: a
// stranger who had learnt the key, the chat kept alive, replaced the
// address with theirs (an attack probe). The contact's code is asked
// then, as before a key is stored (proofStale). A contact the chat
// verified itself is its factor (see codeChecked, savePhone).
func (t *turn) proofHolds() (bool, error) {
	if ok, err := t.keyStillProved(); !ok || err != nil {
		return false, err
	}
	if ok, err := t.factorHolds(); ok || err != nil {
		return ok, err
	}
	t.event(Event{Name: "proof_stale", Flow: t.st.Flow})
	t.st.Validated, t.st.Identified = false, true
	t.st.Code, t.st.CodeTo, t.st.Offer, t.st.Resume = "", "", nil, nil
	t.moveTo(StepFactor)
	return false, t.secondFactor()
}

// keyUnchanged reports whether the CUIL's key is still the one the chat
// proved, or stored (KeyAt), saying nothing.
func (t *turn) keyUnchanged() (bool, error) {
	at, err := t.e.reg.KeySetAt(t.ctx, t.st.CUIL)
	return err == nil && !at.IsZero() && at.UnixMilli() == t.st.KeyAt, err
}

// factorHolds reports whether the chat's proof needs no second factor it
// lacks: it proved one, or the CUIL has no verified contact. It says
// nothing.
func (t *turn) factorHolds() (bool, error) {
	if t.st.Factor {
		return true, nil
	}
	cs, err := t.e.reg.Contacts(t.ctx, t.st.CUIL)
	return err == nil && len(cs.Verified()) == 0, err
}

func actionLabels(acts []contactAction) []i18n.Message {
	out := make([]i18n.Message, len(acts))
	for i, a := range acts {
		out[i] = a.label
	}
	return out
}

// askContacts shows the person's contacts, masked, and what they can do.
// A registry that cannot be read is said as such, and the menu shown.
func (t *turn) askContacts() {
	if !t.st.Validated || t.st.CUIL == "" {
		t.menu()
		return
	}
	ok, err := t.proofHolds()
	if !ok && err == nil {
		return
	}
	cs, err := registry.Contacts{}, err
	if err == nil {
		cs, err = t.e.reg.Contacts(t.ctx, t.st.CUIL)
	}
	if err != nil {
		t.e.log.Warn("contacts unreadable", "err", err)
		t.say("error.unavailable")
		t.menuAgain()
		return
	}
	t.st.Code, t.st.CodeTo = "", ""
	m := i18n.M("contacts.ask", "email", shownContact(cs.Email), "phone", shownContact(cs.Phone))
	t.asking(m, actionLabels(t.contactActions(cs))...)
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

func (t *turn) onContacts(text string) error {
	cs, ok, err := t.contacts()
	if !ok || err != nil {
		return err
	}
	acts := t.contactActions(cs)
	i := t.e.matchOption(text, actionLabels(acts))
	if i >= 0 {
		return acts[i].do(t)
	}
	// The address or the number itself, typed where the menu offers to
	// add one, is the choice and the answer at once.
	if email, ok := registry.FindEmail(text); ok {
		return t.takeEmail(email)
	}
	if phone, ok := registry.FindPhone(text); ok {
		return t.savePhone(phone)
	}
	if strings.Contains(text, "@") && contactShaped(text, t.reading()) {
		// "flor@gmail", an address cut short, got «Elegí una de las
		// opciones» (a people probe): the person means to add it. What
		// is wrong is said, and the address asked.
		t.say("email.format")
		t.enter(StepEmail)
		return nil
	}
	if i := contactOption(text, acts); i >= 0 {
		return acts[i].do(t)
	}
	return t.questionOr(text, nil, "choice.invalid", "n", len(acts))
}

// toContacts is "volver" at a contact step: back to the contacts.
func (t *turn) toContacts() { t.enter(StepContacts) }

// atSpaces joins an address typed with spaces around its @.
var atSpaces = strings.NewReplacer(" @ ", "@", " @", "@", "@ ", "@")

func (t *turn) onEmail(text string) error {
	if _, ok, err := t.contacts(); !ok || err != nil {
		return err
	}
	// "lucia @ gmail.com": a phone's keyboard puts spaces around the @.
	text = atSpaces.Replace(text)
	email, err := registry.ParseEmail(text)
	if err != nil {
		var ok bool
		if email, ok = registry.FindEmail(text); !ok {
			return t.questionOr(text, nil, "email.format")
		}
	}
	return t.takeEmail(email)
}

// takeEmail sends the code that verifies email, unless its domain is a
// slip of a common provider's: a code sent to "gmail.con" never arrives,
// and the person would wait for it, then start over. The address is
// asked again then, with the domain meant (only the domains are said
// back).
func (t *turn) takeEmail(email string) error {
	if meant, ok := registry.EmailDomainTypo(email); ok {
		_, typed, _ := strings.Cut(email, "@")
		t.say("email.typo", "typed", typed, "meant", meant)
		t.enter(StepEmail)
		return nil
	}
	return t.sendCode(StepCode, registry.Contact{Kind: registry.ContactEmail, Value: email})
}

func (t *turn) onPhone(text string) error {
	if _, ok, err := t.contacts(); !ok || err != nil {
		return err
	}
	phone, err := registry.ParsePhone(text)
	if err != nil {
		var ok bool
		if phone, ok = registry.FindPhone(text); !ok {
			return t.questionOr(text, nil, "phone.format")
		}
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
		t.st.Factor = true // the number this chat writes from
		t.say("contacts.phone_verified", "phone", registry.MaskPhone(phone))
	} else {
		t.say("contacts.phone_saved", "phone", registry.MaskPhone(phone))
	}
	t.enter(StepContacts)
	return nil
}

func (t *turn) removeContact(k registry.ContactKind) error {
	if err := t.e.reg.RemoveContact(t.ctx, t.st.CUIL, k, t.in.Channel); err != nil {
		return err
	}
	t.event(Event{Name: "contact_removed", Intent: string(k)})
	t.say(removeKeys[k][1])
	t.enter(StepContacts)
	return nil
}

// resendWords ask for another code.
var resendWords = map[string]bool{
	"reenviar": true, "reenviar codigo": true, "reenviar el codigo": true, "reenvia": true, "reenviamelo": true,
	"mandamelo de nuevo": true, "otro codigo": true, "resend": true, "resend code": true, "resend the code": true,
}

// notArrivedWords and stillWords, together and without a code, say the
// code has not arrived: "todavía no me llegó", "no recibí nada", "sigo
// esperando", and in English "it hasn't arrived", "still waiting", "i
// didn't get it" (which got "the code has 6 digits", or the answer on a
// key created). Said where a code is awaited, which the classifier does
// not know ("no me llegó" alone is anything). Not "don't get": in the
// present it is not understanding.
var (
	notArrivedWords = set("llego", "llega", "llegan", "llegaron", "recibi", "vino", "viene", "esperando",
		"arrived", "arrive", "came", "come", "received", "receive", "get", "got", "gotten", "waiting")
	stillWords = set("no", "todavia", "aun", "nada", "sigo", "nunca",
		"not", "hasn", "hasnt", "haven", "havent", "didn", "didnt", "nothing", "still", "never")
)

// The negation comes before the arrival: "i got it but it says it's not
// valid" got the spam folder's help (a regression probe).
func codeNotArrived(text string) bool {
	ws := foldedWords(text)
	still := slices.IndexFunc(ws, func(w string) bool { return stillWords[w] })
	return still >= 0 && slices.ContainsFunc(ws[still:], func(w string) bool { return notArrivedWords[w] })
}

func codeOptions() []i18n.Message { return []i18n.Message{i18n.M("code.option_resend")} }

// askCode asks for the code pending, or, when none is, to ask for one.
func (t *turn) askCode() {
	if t.st.CodeTo == "" {
		t.asking(i18n.M("ask.code_again"), codeOptions()...)
		return
	}
	t.asking(i18n.M("ask.code", "to", t.st.CodeTo), codeOptions()...)
}

// isCodeStep reports whether the chat waits for a one-time code.
func (t *turn) isCodeStep() bool { return t.st.Step == StepFactor || t.st.Step == StepCode }

// isCodeText reports whether s is, or says, a one-time code ("123 456",
// "el código es 123456"): such a message is never kept in the transcript.
func isCodeText(s string) bool {
	if _, ok := registry.IsCode(s); ok {
		return true
	}
	_, ok := registry.FindCode(s)
	return ok
}

// onCode reads a one-time code: judged by the registry against the
// CUIL's validation count, so wrong codes lock like failed validations.
func (t *turn) onCode(text string) error {
	st := t.st
	if st.CUIL == "" || (st.Step == StepCode && !st.Validated) {
		t.menu()
		return nil
	}
	if st.Step == StepFactor && !st.Identified && !st.Validated {
		return t.factorUnproved()
	}
	if st.Step == StepCode {
		// A new contact's code verifies it: only while the chat's proof
		// holds.
		if ok, err := t.proofHolds(); !ok || err != nil {
			return err
		}
	}
	// Six digits are a code before they are an option's number: "000001"
	// asked for another code (found by an attack probe).
	value, ok := registry.IsCode(text)
	if !ok && (t.e.matchOption(text, codeOptions()) == 0 || resendWords[fold(text)]) {
		return t.resendCode()
	}
	if !ok {
		if value, ok = registry.FindCode(text); !ok {
			if codeNotArrived(text) {
				t.answer(codeMissing)
				t.prompt()
				return nil
			}
			// "Ya no tengo acceso a ese mail", "me equivoqué de mail": the
			// contacts' answer sent people to «Cambiar mis datos de
			// contacto», which asks the key a recovery is for, or which
			// they were in already. "No tengo más ese mail" the classifier
			// takes for why contacts are asked: the words are read too.
			if g, ok := t.classify(); contactLost(text) || ok && g.Intent == contactChange {
				if st.Step == StepFactor {
					t.say("factor.lost")
				} else {
					t.say("code.wrong_address")
				}
				t.prompt()
				return nil
			}
			return t.questionOr(text, nil, "code.format")
		}
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
			// The chat holds the contact it just verified: its factor.
			st.Factor = true
			t.say("contacts.email_verified", "email", res.To.Masked())
			t.enter(StepContacts)
			return nil
		}
		st.Factor = true
		return t.validated()
	case registry.CodeLocked, registry.CodeBusy:
		if res.Purpose == registry.CodeVerify {
			return t.contactCodesLocked(res)
		}
		if res.Status == registry.CodeBusy {
			return t.validationRefused(registry.Attempt{Status: registry.AttemptBusy, Lockout: res.Lockout})
		}
		t.locked(res.Lockout.Until)
		return nil
	case registry.CodeExpired:
		st.Code = ""
		t.say("code.expired")
		t.prompt()
		return nil
	}
	t.event(Event{Name: "code_wrong", Intent: string(res.Purpose)})
	if res.Purpose == registry.CodeVerify {
		if res.Lockout.LockedAt(t.now) {
			return t.contactCodesLocked(res)
		}
		_, rule := t.e.reg.Policy().CodeRule(res.Purpose)
		t.say("code.wrong")
		t.say("contacts.code_left", "n", rule.Max-res.Lockout.Failures)
		t.tell()
		t.prompt()
		return nil
	}
	if res.Lockout.LockedAt(t.now) {
		t.locked(res.Lockout.Until)
		return nil
	}
	t.say("code.wrong")
	t.attemptsLeft(res.Lockout)
	t.tell()
	t.prompt()
	return nil
}

// contactCodesLocked answers a new contact's code refused after too many
// wrong ones: the contact is not verified, and nothing else is locked.
func (t *turn) contactCodesLocked(res registry.CodeCheck) error {
	t.st.Code, t.st.CodeTo = "", ""
	if res.Status == registry.CodeBusy {
		t.say("contacts.code_busy")
	} else {
		t.say("contacts.code_locked", "until", res.Lockout.Until)
	}
	t.enter(StepContacts)
	return nil
}

// resendCode sends another code to where the last one went, or, when
// there is none to follow (it expired or was used), starts the step over.
func (t *turn) resendCode() error {
	st, step := t.st, t.st.Step
	if st.Code != "" {
		c, err := t.e.reg.ResendCode(t.ctx, st.CUIL, st.Code)
		switch {
		case err == nil:
			if ok, err := t.allowCode(step); !ok || err != nil {
				// Refused by the limits: the code issued is not sent, and
				// the contact's minute is given back. Kept, a chat past
				// its codes held the person's own chats to "ya te
				// mandamos un código" by asking each minute (an attack
				// probe).
				if c.Ref != "" {
					if cerr := t.e.reg.CancelCode(context.WithoutCancel(t.ctx), c); cerr != nil {
						t.e.log.Warn("cancel code failed", "err", cerr)
					}
				}
				return err
			}
			return t.deliver(step, c)
		case !errs.Is(errs.NotFound, err):
			return err
		}
	}
	st.Code, st.CodeTo = "", ""
	if step == StepCode {
		t.enter(StepEmail)
		return nil
	}
	return t.secondFactor()
}
