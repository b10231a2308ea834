// Package faq understands what a person asks in their own words, in
// Spanish or English as written on WhatsApp: it maps a message to one of
// the intents of CONTRACT §6, with a calibrated score. The knowledge (training
// examples) is data embedded in the binary; the answers live in the i18n
// catalogs under faq.answer.<intent> and faq.topic.<intent>.
package faq

import (
	"slices"

	"github.com/clavebot/clavebot/dialog"
)

// None is the intent of a message out of the bot's scope.
const None = "none"

// Thresholds on a guess's score, for the engine
// (dialog.WithClassifier(clf, faq.AnswerThreshold, faq.SuggestThreshold)).
// They were chosen on cross-validated predictions over the training
// examples, never on the held-out set.
const (
	// AnswerThreshold is the score from which the top guess is answered
	// (or its flow started) without asking.
	AnswerThreshold = 0.5
	// SuggestThreshold is the score from which an in-scope guess is worth
	// offering in a "¿Quisiste decir…?" list.
	SuggestThreshold = 0.15
	// NoneThreshold: when the best in-scope guess scores below it,
	// Classify puts None first.
	NoneThreshold = 0.2
)

// temperature divides the logits before the softmax so scores match how
// often the top guess is right; fit by TestTemperature on out-of-fold
// predictions of the training examples. (It was 1.35 before the English
// examples, a fit pulled up by one Spanish line, "bye", that had no known
// feature out of fold and so cost the log-likelihood ~690 nats.)
const temperature = 0.85

// maxGuesses is how many guesses Classify returns.
const maxGuesses = 5

var intents = []string{
	"key.what", "key.uses", "key.requirements", "key.create", "key.recover",
	"key.change", "key.password_rules", "key.not_afip", "key.check_created",
	"key.security_tips", "error.data_mismatch", "error.identity_failed",
	"error.system_busy", "error.cuil_unknown", "error.blocked", "cuil.find",
	"agent.handoff", "hours", "greeting", "thanks_bye",
	"contact.why", "contact.change", "contact.code_missing",
	// Beyond the contract's list, which may be extended: what people
	// asked that no intent above answered.
	"key.for_someone_else", "key.compromised", "dni.tramite", "key.duration", "bot.official",
	"data.format", "data.why", "help.lost", "key.expiry",
	None,
}

// Intents lists every intent: those of CONTRACT §6 first, in its order, then
// the ones added since, None last.
func Intents() []string { return slices.Clone(intents) }

// Classifier maps free text to intents. It is read-only once built and
// safe for concurrent use.
type Classifier struct {
	vocab   *vocab
	model   *model
	intents []string
	temp    float64
}

var _ dialog.Classifier = (*Classifier)(nil)

// New trains a classifier on the embedded examples. Training is
// deterministic and takes a fraction of a second.
func New() (*Classifier, error) {
	exs, err := loadExamples()
	if err != nil {
		return nil, err
	}
	return build(exs, defaultTrain, temperature), nil
}

func build(exs []Example, cfg trainConfig, temp float64) *Classifier {
	docs := make([][2][]string, len(exs))
	for i, ex := range exs {
		w, c := terms(ex.Text)
		docs[i] = [2][]string{w, c}
	}
	v := buildVocab(docs)
	xs := make([]sparse, len(exs))
	ys := make([]int, len(exs))
	for i, ex := range exs {
		xs[i] = v.vector(ex.Text)
		ys[i] = slices.Index(intents, ex.Intent)
	}
	m := train(xs, ys, len(intents), len(v.idf), cfg)
	return &Classifier{vocab: v, model: m, intents: intents, temp: temp}
}

// Classify returns the most likely intents of text, best first, with
// scores in [0, 1]. When no in-scope intent reaches NoneThreshold, None
// comes first, scored by how unlikely the best in-scope intent is. A long
// message the whole of which is not sure is read clause by clause too
// (see byClause).
func (c *Classifier) Classify(text string) []dialog.Guess {
	gs := c.classifyText(text)
	if cs, ok := c.byClause(text, gs); ok {
		return cs
	}
	return gs
}

// classifyText classifies text as one message.
func (c *Classifier) classifyText(text string) []dialog.Guess {
	p := c.probs(text)
	if p == nil {
		return []dialog.Guess{{Intent: None, Score: 1}}
	}
	gs := make([]dialog.Guess, len(p))
	for i, s := range p {
		gs[i] = dialog.Guess{Intent: c.intents[i], Score: s}
	}
	slices.SortStableFunc(gs, func(a, b dialog.Guess) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	return noneFirst(gs)[:maxGuesses]
}

// probs is the calibrated probability of each intent, or nil when the
// text has no feature the classifier knows.
func (c *Classifier) probs(text string) []float64 {
	x := c.vocab.vector(text)
	if len(x.idx) == 0 {
		return nil
	}
	p := make([]float64, len(c.intents))
	c.model.probs(x, c.temp, p)
	return p
}

// noneFirst moves None to the top when the best in-scope guess is too
// weak, scoring it 1 minus that guess's score (so the order holds).
func noneFirst(gs []dialog.Guess) []dialog.Guess {
	if gs[0].Intent == None || gs[0].Score >= NoneThreshold {
		return gs
	}
	i := slices.IndexFunc(gs, func(g dialog.Guess) bool { return g.Intent == None })
	none := dialog.Guess{Intent: None, Score: 1 - gs[0].Score}
	gs = slices.Delete(gs, i, i+1)
	return slices.Insert(gs, 0, none)
}
