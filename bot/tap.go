package bot

import (
	"context"
	"crypto/rand"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// Questions remembers, per chat, the last question sent with options, so
// a tap on the buttons of an earlier message (or a second tap on the same
// ones) is not read as an answer to what the bot asks now. bot/relay keeps
// it in Redis, for every replica; without it the bot keeps it in memory.
type Questions interface {
	// Asked makes question the chat's current one ("" for none).
	Asked(ctx context.Context, chat, question string) error
	// Answer reports whether question is the chat's current one, and if so
	// forgets it, atomically: only the first tap on it counts. tap is the
	// tap's message id: the tap that took the question, delivered again,
	// still takes it (the engine drops it as handled, or handles it if
	// the first delivery's turn never finished), so a redelivery is not
	// told it is stale.
	Answer(ctx context.Context, chat, question, tap string) (bool, error)
}

// QuestionTexts is Questions that also keeps the current question as
// numbered text, for a platform that takes a message and reports later
// that it could not show it (see Bot.Undelivered). bot/relay is one.
type QuestionTexts interface {
	Questions
	// AskedText is Asked, keeping text with the question.
	AskedText(ctx context.Context, chat, question, text string) error
	// Current returns the chat's current question and its text ("" for
	// none).
	Current(ctx context.Context, chat string) (question, text string, err error)
}

// Tap runs a tap on an option of question (from a Tagger channel): the
// tap is the answer only when question is the chat's current one and was
// not answered yet; otherwise the person is told, kindly, to answer the
// latest question, or, with none on screen, asked it again by the engine
// (see TakeTap). in.Text is the option as the engine reads it.
func (b *Bot) Tap(ctx context.Context, ch Channel, chat string, in convo.Inbound, question string) {
	if b.TakeTap(ctx, ch, chat, in, question) {
		b.Turn(ctx, ch, chat, in)
	}
}

// TakeTap is Tap without the turn: it reports whether the tap answers the
// chat's current question, taking that question, and when it does not it
// tells the person. A channel that shows the choice on the question
// (Telegram) does so between TakeTap and Turn, only for a tap taken. A
// tap taken must be followed by its Turn: the tap's arrival may have been
// told with its answer, and the turn takes it (see TapArrivals).
//
// A tap that does not answer is pointed to the question on screen, when
// there is one. When there is none (a text question asked since, or
// Redis emptied, which forgot the question and the conversation), it was
// pointed to a question that was not there, every tap after looping on
// it (a resilience probe): the engine answers it instead (StaleTap),
// asking its question again, or starting over.
func (b *Bot) TakeTap(ctx context.Context, ch Channel, chat string, in convo.Inbound, question string) bool {
	ok, current, known, err := b.answer(ctx, ch, in, question)
	if err == nil && ok && question != "" {
		return true
	}
	if err == nil && !known {
		current, err = b.current(ctx, in.Chat)
	}
	switch {
	case err != nil:
		b.log.Error("tap not checked", "channel", ch.Name(), "err", err)
		b.reply(ctx, ch, chat, in, []Message{{Text: b.printer.Sprint(i18n.M("bot.error")), Expect: string(convo.ExpectText)}})
	case current != "":
		b.log.Debug("stale tap dropped", "channel", ch.Name())
		b.reply(ctx, ch, chat, in, []Message{{Text: b.printer.Sprint(i18n.M("bot.stale_tap")), Expect: string(convo.ExpectText)}})
	default:
		in.StaleTap = true
		b.Turn(ctx, ch, chat, in)
	}
	return false
}

// answer takes question for the tap in (see Questions.Answer). Where the
// outbox's queue tells a tap's arrival with its answer (TapArrivals), it
// does so in the same round trip, and the tap's turn does not tell it
// again; the chat's current question then comes back too (known) when
// the tap did not take it.
func (b *Bot) answer(ctx context.Context, ch Channel, in convo.Inbound, question string) (ok bool, current string, known bool, err error) {
	ta, merged := b.tapArrivals(ch, in)
	if !merged {
		ok, err = b.questions.Answer(ctx, in.Chat, question, in.ID)
		return ok, "", false, err
	}
	ok, current, n, err := ta.ArrivedTap(ctx, in, question)
	if ok {
		// Taken: what failed, if anything, is the drain of what
		// waited, which the turn reports as it would have.
		b.tapsTold.Store(tapTold(in), told{n, err})
		return true, "", false, nil
	}
	return false, current, err == nil, err
}

// current returns the chat's current question, "" when none is on
// screen; a Questions that cannot tell says there is one.
func (b *Bot) current(ctx context.Context, chat string) (string, error) {
	qt, ok := b.questions.(interface {
		Current(ctx context.Context, chat string) (question, text string, err error)
	})
	if !ok {
		return "?", nil
	}
	q, _, err := qt.Current(ctx, chat)
	return q, err
}

// tag gives a message with options, sent on a Tagger, a new question id,
// unless it has one: a turn's reply tagged before it was kept (see keep)
// keeps its id when the outbox sends it, so the question kept as the
// chat's current one is the one the person sees.
func tag(ch Channel, m Message) Message {
	if _, ok := ch.(Tagger); ok && len(m.Options) > 0 && m.Question == "" {
		m.Question = newQuestionID()
	}
	return m
}

// tagAll is tag of each message, on a copy.
func tagAll(ch Channel, msgs []Message) []Message {
	out := make([]Message, len(msgs))
	for i, m := range msgs {
		out[i] = tag(ch, m)
	}
	return out
}

// asked remembers m's question as the chat's current one.
func asked(ctx context.Context, q Questions, log *slog.Logger, chat string, m Message) {
	if m.Question == "" {
		return
	}
	var err error
	if qt, ok := q.(QuestionTexts); ok {
		err = qt.AskedText(ctx, chat, m.Question, NumberedText(m))
	} else {
		err = q.Asked(ctx, chat, m.Question)
	}
	if err != nil {
		log.Warn("question not remembered; its buttons will read as stale", "err", err)
	}
}

// newQuestionID is short: it travels in every button's id.
func newQuestionID() string { return strings.ToLower(rand.Text()[:8]) }

// OptionID is the id of option n (1-based) of question, as a button or
// row carries it: "<question>.<n>".
func OptionID(question string, n int) string {
	return question + "." + strconv.Itoa(n)
}

// ParseOptionID reads an OptionID; a bare number (a button sent before
// questions were tagged) has no question, and reads as stale.
func ParseOptionID(id string) (question string, n int, ok bool) {
	q, num, found := strings.Cut(id, ".")
	if !found {
		q, num = "", id
	}
	n, err := strconv.Atoi(num)
	return q, n, err == nil && n > 0
}

// memQuestions is the in-process Questions, for a bot without Redis.
type memQuestions struct {
	mu       sync.Mutex
	cur      map[string]string
	answered map[string]string // the tap that took each chat's last question
}

// maxMemQuestions bounds memQuestions; past it, all are forgotten (their
// buttons then read as stale, which is safe).
const maxMemQuestions = 100_000

func (m *memQuestions) Asked(_ context.Context, chat, question string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur == nil || len(m.cur) >= maxMemQuestions || len(m.answered) >= maxMemQuestions {
		m.cur, m.answered = map[string]string{}, map[string]string{}
	}
	if question == "" {
		delete(m.cur, chat)
	} else {
		m.cur[chat] = question
	}
	return nil
}

// Current reports the chat's current question (the text is not kept).
func (m *memQuestions) Current(_ context.Context, chat string) (string, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cur[chat], "", nil
}

func (m *memQuestions) Answer(_ context.Context, chat, question, tap string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if question == "" || m.cur[chat] != question {
		return tap != "" && m.answered[chat] == tap, nil
	}
	delete(m.cur, chat)
	if tap != "" && m.answered != nil {
		m.answered[chat] = tap
	}
	return true, nil
}
