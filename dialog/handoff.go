package dialog

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clavebot/clavebot/i18n"
)

// handoff puts the chat in the help desk's queue, with the transcript.
// Without a desk, it says where a person can be found.
func (t *turn) handoff(reason string) error {
	t.event(Event{Name: "handoff", Intent: reason})
	if !t.e.hasDesk {
		t.say("handoff.unavailable")
		if t.idle() {
			t.menuAgain()
			return nil
		}
		// Nobody to hand over to: the person keeps their place (the
		// flow was dropped, with an identity proved or a round of
		// questions under way).
		if t.st.Resume != nil {
			t.resume()
		} else {
			t.prompt()
		}
		return nil
	}
	if ok, err := t.handoffAllowed(); !ok {
		return err
	}
	if err := t.giveBackAttempt(); err != nil {
		return err
	}
	st := t.st
	// The transcript is read now only: a hand-off is rare, a turn common.
	lines, err := t.transcript()
	if err != nil {
		return err
	}
	validated, err := t.stillValidated()
	if err != nil {
		return err
	}
	h := Handoff{
		Chat: t.in.Chat, Channel: t.in.Channel, Reason: reason,
		CUIL: string(st.CUIL), Validated: validated, Transcript: lines,
	}
	ticket, err := t.e.desk.Enqueue(t.ctx, h)
	if err != nil {
		return err
	}
	before := t.placeBeforeDesk()
	st.reset()
	st.Flow, st.Before = FlowHandoff, before
	if ticket.Open {
		t.say("handoff.queued", "position", ticket.Position)
	} else {
		st.DeskClosed = true
		if ticket.Opens.IsZero() {
			t.say("handoff.closed")
		} else {
			// "¿Cuándo me contestan?": said at once (found by hand).
			t.say("handoff.closed_until", "opens", opening(ticket.Opens, ticket.Opening))
		}
	}
	t.moveTo(StepQueue)
	return nil
}

// handoffsPerSource bounds the chats one source (a REST client's
// address, or the person the portal names) puts in the desk's line in an
// hour, across replicas. A REST chat's id is its client's choice: one
// client opened 200 chats asking for a person, all 200 joined the line,
// and the next citizen was told place 201 behind empty chats (an attack
// probe). A person asks for a person once or twice, a family or an office
// behind one address a few times more. Telegram and WhatsApp chats have no
// source: each is an account of its own.
var handoffsPerSource = limit{max: 20, per: time.Hour}

// handoffsPerChat bounds the times one chat joins the line in an hour: a
// chat that asked and cancelled over and over (100 times in 4 s, an
// attack probe) wrote a desk conversation each time, kept for the
// retention's 180 days and counted in the desk's figures, and a Telegram
// account is a chat with no source. A person who changed their mind asks
// again once or twice.
var handoffsPerChat = limit{key: "handoff", max: 10, per: time.Hour, chat: true}

// handoffAllowed counts a hand-over against the chat's and the source's
// limits. Beyond either the person is told until when and keeps their
// place with the bot, as when there is no desk, and false is returned:
// nothing joins the line.
func (t *turn) handoffAllowed() (bool, error) {
	if t.in.Channel == localChannel {
		return true, nil
	}
	ok, retry, err := t.allow(handoffsPerChat, handoffsPerSource.on(sourceKey(limitSourceHandoffs, t.in.Source)))
	if err != nil || ok {
		return ok, err
	}
	t.event(Event{Name: "handoff_limited", Flow: t.st.Flow})
	t.say("handoff.limited", "until", t.now.Add(max(retry, time.Minute)))
	switch {
	case t.idle():
		t.menuAgain()
	case t.st.Resume != nil:
		t.resume()
	default:
		t.prompt()
	}
	return false, nil
}

// stillValidated reports whether the chat's proof of identity still
// holds, as the desk is told it: the desk shows a validated person's CUIL
// whole and what they typed unmasked. A chat that proved the key (its
// contacts, a change) and was kept alive while the key was recovered or
// changed elsewhere, or that proved no second factor and a contact was
// verified elsewhere since, reached the desk as validated (an attack
// probe), where the bot itself would have asked the key, or the code,
// again (keyStillProved, proofHolds, proofStale). Nothing is said or
// changed here: the hand-over ends the flow.
func (t *turn) stillValidated() (bool, error) {
	st := t.st
	if !st.Validated || st.CUIL == "" {
		return false, nil
	}
	if st.Flow == FlowContact || st.Flow == FlowChange {
		if same, err := t.keyUnchanged(); !same || err != nil {
			return false, err
		}
	}
	return t.factorHolds()
}

// deskHolder is a desk that tells whether an agent has the chat;
// *desk.Handoffs is one.
type deskHolder interface {
	Holds(ctx context.Context, chat string) (bool, error)
}

// askQueue says where the person is at the desk: with an agent, or in
// the line. A blank message or a stale tap with an agent was told "Seguís
// en la fila" (found by a desk probe).
func (t *turn) askQueue() {
	if d, ok := t.e.desk.(deskHolder); ok {
		held, err := d.Holds(t.ctx, t.in.Chat)
		if err != nil {
			t.e.log.Warn("desk holder not read", "err", err)
		}
		if held {
			t.asking(i18n.M("handoff.with_agent"))
			return
		}
	}
	t.asking(i18n.M("handoff.waiting"))
}

// onQueue passes what the person writes to the desk, with the personal
// data in it masked as in the transcript. A message nobody reads at once
// is acknowledged, by what the desk says now: hours change while people
// wait (found by a probe: a message left outside hours was told "cuando
// abra" with the desk open; one in line when the desk closed was
// promised an answer at once).
func (t *turn) onQueue(text string) error {
	if !t.e.hasDesk {
		t.menu()
		return nil
	}
	// A message longer than the bot reads goes whole, up to maxToDesk;
	// longer, its beginning, said so to the agent and to the person.
	long := utf8.RuneCountInString(text) > t.e.maxInput
	// E-mail addresses are masked here too, as in the transcript. A
	// message cut is masked as far as it goes (maskedPrefixFrom): masked
	// whole first, 64 KB of "1 de 1 de …" from the REST chat cost 384,000
	// allocations and over half a second of a core a message, for
	// characters the desk never got (an attack probe).
	var relayed string
	cut := 0
	if utf8.RuneCountInString(text) > maxToDesk {
		cut = maxToDesk
		relayed = t.forDesk(i18n.M("desk.person_cut", "n", cut)) + "\n" + strings.TrimSuffix(maskedPrefixFrom(text, cut, t.now, t.keyLens()), "…")
	} else {
		relayed = t.masked(text)
	}
	rel, err := t.e.desk.Relay(t.ctx, t.in.Chat, relayed)
	if err != nil {
		return err
	}
	if rel.Full {
		t.full(rel)
		return nil
	}
	if cut > 0 {
		t.say("handoff.long_cut", "n", cut)
	}
	if rel.AtAgent {
		// The agent answers.
		return nil
	}
	t.acknowledge(rel, !long)
	return nil
}

// maxToDesk is the longest message, in runes, a person's message reaches
// the desk whole: as long as WhatsApp and Telegram carry (4,096).
const maxToDesk = 4096

// forDesk renders m as the desk's agents read it, in Spanish (the page's
// language), as the desk renders the bot's transcript.
func (t *turn) forDesk(m i18n.Message) string { return t.e.catalog.Printer(i18n.ES).Sprint(m) }

// mediaWords are the words the desk reads for what a person sent that is
// not text, by the channels' kinds of media.
var mediaWords = map[string]i18n.Key{
	"photo": "media.photo", "voice": "media.audio", "audio": "media.audio",
	"video": "media.video", "video_note": "media.video", "animation": "media.video",
	"sticker": "media.sticker", "file": "media.file", "location": "media.location", "contact": "media.contact",
}

// mediaToDesk tells the desk what the person sent that nobody there can
// see ("[la persona envió una foto]"), and the person that the agent
// cannot see it: to write it. A message nobody reads at once is
// acknowledged as any other.
func (t *turn) mediaToDesk() error {
	word, ok := mediaWords[t.in.Media]
	if !ok {
		word = "media.other"
	}
	return t.unreadToDesk(word, "handoff.media_at_agent", "handoff.media_unseen")
}

// unreadToDesk tells the desk that the person sent word, which nobody
// there can read, and the person atAgent (an agent has the chat) or
// unseen (they wait in the line).
func (t *turn) unreadToDesk(word, atAgent, unseen i18n.Key) error {
	rel, err := t.e.desk.Relay(t.ctx, t.in.Chat, t.forDesk(i18n.M("desk.person_media", "kind", i18n.M(word))))
	if err != nil {
		return err
	}
	if rel.Full {
		t.full(rel)
		return nil
	}
	if rel.AtAgent {
		t.say(atAgent)
		return nil
	}
	t.say(unseen)
	t.acknowledge(rel, false)
	return nil
}

// edited answers a person's edit of a message they sent earlier, which
// the bot does not read: on Telegram it got nothing, on WhatsApp "solo
// puedo leer texto", though the person had written text. They are asked
// to write it again; at the desk, the agent is told an edit came that
// they cannot see.
func (t *turn) edited(atDesk bool) error {
	if atDesk {
		return t.unreadToDesk("media.edit", "input.edited", "input.edited")
	}
	t.say("input.edited")
	t.prompt()
	return nil
}

// full tells a person whose message the desk did not take, having as
// many of theirs in a row as it takes unanswered (a desk probe posted 500
// and each was kept and answered «Recibido»), that it did not reach
// anyone and to wait for the answer; said short when they keep writing.
func (t *turn) full(rel Relayed) {
	said := fmt.Sprintf("full:%t", rel.AtAgent)
	switch {
	case t.st.Acked == said:
		t.say("handoff.full_again")
	case rel.AtAgent:
		t.say("handoff.full_at_agent")
	default:
		t.say("handoff.full")
	}
	t.st.Acked = said
}

// acknowledge tells a person whose message nobody reads at once where
// they are; read, whether the message itself may be read for a question
// the bot answers (when the desk answers).
func (t *turn) acknowledge(rel Relayed, read bool) {
	// The acknowledgement, and the same said short, keeping what the
	// person needs: the place, when the desk opens.
	var ack, short i18n.Message
	switch {
	case !rel.Open && rel.Waiting && rel.Position > 0 && !rel.Opens.IsZero():
		opens := opening(rel.Opens, rel.Opening)
		// Kept in the line at closing: the place and the opening (a
		// regression probe: "¿cuánto falta?" lost the place).
		ack = i18n.M("handoff.message_closed_at", "position", rel.Position, "opens", opens)
		short = i18n.M("handoff.message_again_closed_at", "position", rel.Position, "opens", opens)
	case !rel.Open && !rel.Opens.IsZero():
		opens := opening(rel.Opens, rel.Opening)
		ack = i18n.M("handoff.message_saved_until", "opens", opens)
		short = i18n.M("handoff.message_again_until", "opens", opens)
	case !rel.Open:
		ack, short = i18n.M("handoff.message_saved"), i18n.M("handoff.message_again")
	case rel.Waiting && rel.Position > 0:
		// Waiting in line, "¿hola? ¿hay alguien?" got nothing back, and
		// the bot looked broken; "¿cuánto falta?" is answered by the place.
		ack = i18n.M("handoff.message_waiting_at", "position", rel.Position)
		short = i18n.M("handoff.message_again_at", "position", rel.Position)
	case rel.Waiting:
		ack, short = i18n.M("handoff.message_waiting"), i18n.M("handoff.message_again")
	default:
		ack, short = i18n.M("handoff.message_open"), i18n.M("handoff.message_again")
	}
	// When the desk answers is the bot's to say: the agent may be hours
	// away, and the person waits on it.
	asksHours := false
	if read {
		g, sure := t.classify()
		asksHours = sure && g.Intent == "hours"
	}
	// Several messages in a row got the same paragraph each (found by a
	// probe): the same situation again is acknowledged short, unless the
	// person asks when they will be answered.
	said := fmt.Sprintf("%s:%d", ack.Key, rel.Position)
	if t.st.Acked == said && !asksHours {
		ack = short
	}
	t.st.Acked = said
	t.sayMsg(ack)
	if asksHours {
		t.answer("hours")
	}
}

// leaveQueue takes the chat out of the desk's queue, if it is there.
// It reports whether an agent had the chat.
func (t *turn) leaveQueue() bool {
	if !t.def().waits {
		return false
	}
	withAgent, err := t.e.desk.Leave(t.ctx, t.in.Chat)
	if err != nil {
		t.e.log.Warn("leave queue failed", "err", err)
	}
	return withAgent
}

func (t *turn) askRateAgent() { t.asking(i18n.M("rate_agent.ask"), rateOptions()...) }

// onRateAgent records the person's rating of the desk's help. Anything
// else is read at the menu, where the chat came back to.
func (t *turn) onRateAgent(text string) error {
	i := t.e.matchOption(text, rateOptions())
	if i < 0 {
		// "no", "sí, gracias": the rating (found by a probe: "no" got
		// "¡De nada!" and was not recorded).
		switch t.e.yesOrNo(text) {
		case 1:
			i = 0
		case 0:
			i = 1
		}
	}
	if i < 0 {
		t.resumeQuiet()
		return t.step(text)
	}
	if err := t.e.desk.Rate(t.ctx, t.in.Chat, i == 0); err != nil {
		return err
	}
	t.event(Event{Name: "agent_rating", Value: 1 - i})
	if i == 0 {
		t.say("rate.thanks")
	} else {
		// "No me sirvió" got the cheerful thanks of a good rating (found
		// by a probe).
		t.say("rate_agent.sorry")
	}
	t.menuAgain()
	return nil
}

// EndHandoff is called by the desk when an agent closes a chat: the bot
// takes over again and asks the person to rate the help. Under the chat's
// lock, finish is given the replies for the person and ends the desk's
// side (the conversation out of the queue, the replies to the outbox);
// the chat goes back to the bot only when finish succeeds, and its error
// is returned as it is. A message of the person's is thus handled either
// before (the agent's, in the conversation's record) or after (the
// bot's): the desk used to end its conversation first, and a message in
// between found none and put the person back in the queue, lost to the
// agent (found by a probe). A nil finish ends nothing outside the engine.
func (e *Engine) EndHandoff(ctx context.Context, chat string, finish func(context.Context, []Reply) error) error {
	return e.push(ctx, chat, func(t *turn) {
		t.st.reset()
		t.st.Resume = &Resume{Step: StepMenu}
		t.say("handoff.closed_by_agent")
		t.enter(StepRateAgent)
	}, finish)
}

// push changes a chat's state outside a person's message (an agent
// closing the chat, an agent's message) under the chat's lock. f works on
// the engine's unexported turn, so push stays inside the package; under,
// when not nil, is given the turn's replies while the lock is held, and
// the state is saved only when it succeeds (its error is returned as it
// is). EndHandoff and AgentSaid are its exported uses.
func (e *Engine) push(ctx context.Context, chat string, f func(t *turn), under func(context.Context, []Reply) error) error {
	lease, raw, err := e.store.Acquire(ctx, chat, "")
	if err != nil {
		return fmt.Errorf("dialog: acquire chat: %w", err)
	}
	ctx, stop := e.hold(ctx, lease) // under may send to a platform, slowly
	defer stop()
	t, _ := e.newTurn(ctx, Inbound{Chat: chat}, raw)
	t.counts = lease.Counts
	f(t)
	if under != nil {
		if err := under(ctx, t.replies()); err != nil {
			if rerr := e.store.Release(context.WithoutCancel(ctx), lease); rerr != nil {
				e.log.Warn("release after a refused push failed", "err", rerr)
			}
			return err
		}
	}
	if err := e.commit(ctx, lease, t); err != nil {
		return fmt.Errorf("dialog: push to chat: %w", err)
	}
	return nil
}

// Locked runs f under the chat's lock and leaves the chat's state as it
// was: a person's message is handled before f or after it, never while it
// runs. f's error is returned as it is. The desk gives a chat back to the
// line under it: a person who left at that moment was told, after the
// menu, that another agent would continue (desk.Return).
func (e *Engine) Locked(ctx context.Context, chat string, f func(context.Context) error) error {
	lease, _, err := e.store.Acquire(ctx, chat, "")
	if err != nil {
		return fmt.Errorf("dialog: acquire chat: %w", err)
	}
	ctx, stop := e.hold(ctx, lease)
	defer stop()
	ferr := f(ctx)
	if err := e.store.Release(context.WithoutCancel(ctx), lease); err != nil {
		e.log.Warn("release after a locked change failed", "err", err)
	}
	return ferr
}

// AgentSaid adds an agent's message to the chat's transcript. Under the
// chat's lock, send is given the message as replies to deliver, and
// checks the agent still has the chat before delivering them; the
// transcript and the state change only when it succeeds (its error
// returned as it is). A reply checked before the lock was taken was
// refused as it went out after the person's "cancelar", and took the
// person back to the queue's step (found by a probe).
func (e *Engine) AgentSaid(ctx context.Context, chat, agent, text string, send func(context.Context, []Reply) error) error {
	return e.push(ctx, chat, func(t *turn) {
		// An agent talking means the chat is with the desk, even if its
		// state was lost meanwhile: the person's answer must reach them.
		t.st.Started, t.st.Flow, t.st.DeskClosed = true, FlowHandoff, false
		if t.st.Step != StepQueue {
			t.moveTo(StepQueue)
		}
		t.sayMsg(i18n.M("handoff.agent_message", "agent", agent, "text", text))
	}, send)
}

// opening is how the person is told the desk opens at at: as the desk
// said it, or, from a desk that did not, its date and hour.
func opening(at time.Time, said i18n.Message) i18n.Message {
	if said.Key != "" || said.Text != "" {
		return said
	}
	return i18n.M("when.day", "at", at)
}
