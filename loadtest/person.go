package loadtest

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/clavebot/clavebot/dialog"
)

// Goal is what a simulated person came to do.
type Goal string

// The goals of the mixes.
const (
	// GoalQuestions starts creating a key, gives the personal data, and
	// cancels at the first identity question (issue 14's flow: every
	// registry read of a flow, no hashing).
	GoalQuestions Goal = "questions-cancel"
	GoalCreate    Goal = "create"   // creates a key, to the end (argon2id twice)
	GoalRecover   Goal = "recover"  // recovers a key they already have, to the end
	GoalChange    Goal = "change"   // changes a key they know, to the end
	GoalFAQ       Goal = "faq"      // asks a question from the menu and rates the answer
	GoalMismatch  Goal = "mismatch" // mistypes the birth date, corrects it, cancels at the questions
	GoalWander    Goal = "wander"   // starts creating or recovering and stops answering halfway
)

// Goals lists every goal, in the order reports show them.
var Goals = []Goal{GoalQuestions, GoalCreate, GoalRecover, GoalChange, GoalFAQ, GoalMismatch, GoalWander}

// NeedsKey reports whether the person's citizen must already have a key.
func (g Goal) NeedsKey() bool { return g == GoalRecover || g == GoalChange }

// Hashes is how many argon2id evaluations finishing the goal cost in
// versions of serve that do not count them (before
// clavebot_argon2id_evaluations_total): the new key was hashed when typed
// and compared when confirmed; recovery and change also compare it with the
// current key, and change first checks the current key. Since the new
// key's seal (registry/keyseal.go), each costs one less, and serve counts.
func (g Goal) Hashes() int {
	switch g {
	case GoalCreate:
		return 2
	case GoalRecover:
		return 3
	case GoalChange:
		return 4
	}
	return 0
}

// Action is one message of a person: typed text, or a tap on option
// Option (1-based) of the bot's last message, whose label is Text.
type Action struct {
	ID     string // unique in the chat: a retry of a refused turn repeats it
	Text   string
	Option int
	Secret bool // a key: the channel deletes it or asks to
}

// faqQuestions are asked in the middle of flows (and from the menu).
var faqQuestions = []string{
	"¿la clave sirve para la AFIP?",
	"¿qué necesito para crear la clave?",
	"¿cómo sé si la clave quedó creada?",
	"¿cada cuánto tengo que cambiar la clave?",
}

// person plays one citizen through one goal, checking that each answer of
// the bot is the one its last message should bring: a message lost,
// handled twice or answered out of order shows as an unexpected step.
type person struct {
	goal      Goal
	c         *Citizen
	texts     *Texts
	key       string // the key they have (recover, change)
	newKey    string // the key they choose
	detour    dialog.Expect
	stopAt    int // wander: walks away after this many turns
	turns     int
	seq       int
	chose     bool          // picked from the menu
	want      dialog.Expect // what the bot should ask next; "" for any
	last      string        // the last message, for errors
	mistyped  bool          // mismatch: the wrong birth date was given
	corrected bool          // ... and then the right one
	asked     int           // identity questions answered
	away      bool          // told the identity cannot be confirmed by chat
	done      bool
	reached   bool // the flow's end (a key stored, a FAQ rated, a cancel)
}

func newPerson(g Goal, c *Citizen, t *Texts, n int, rng *rand.Rand) *person {
	p := &person{goal: g, c: c, texts: t, key: keyFor(n, 0), newKey: keyFor(n, 1)}
	if g == GoalWander {
		p.stopAt = 3 + rng.IntN(5)
	}
	if (g == GoalCreate || g == GoalQuestions) && rng.IntN(5) == 0 {
		p.detour = []dialog.Expect{dialog.ExpectFirstNames, dialog.ExpectBirthDate, dialog.ExpectDNI}[rng.IntN(3)]
	}
	return p
}

// keyFor is a key no policy rule refuses: the person's number in
// consonants (no name fits in them), one digit for the version (no date or
// DNI fits in it).
func keyFor(n, version int) string {
	const consonants = "bcdfghjklmnpqrstvwxz"
	b := []byte("Kz")
	for i := 0; i < 5; i++ {
		b = append(b, consonants[n%len(consonants)])
		n /= len(consonants)
	}
	return fmt.Sprintf("%s%dW", b, version+7)
}

// next returns the person's next message after the bot's replies to the
// last one (none before the first), or done.
func (p *person) next(replies []Reply) (Action, bool, error) {
	if p.done {
		return Action{}, true, nil
	}
	if err := p.check(replies); err != nil || p.done {
		return Action{}, true, err
	}
	exp := dialog.Expect("")
	if len(replies) > 0 {
		exp = replies[len(replies)-1].Expect
	}
	if p.goal == GoalWander && p.turns >= p.stopAt {
		p.done, p.reached = true, true // walking away was the point
		return Action{}, true, nil
	}
	if p.reached && p.goal == GoalFAQ {
		p.done = true // answered and rated: back to the questions, or gone
		return Action{}, true, nil
	}
	a, err := p.answer(exp, replies)
	if err != nil || p.done {
		return Action{}, true, err
	}
	p.turns++
	p.seq++
	a.ID = fmt.Sprintf("m%d", p.seq)
	if !a.Secret {
		p.last = a.Text
	}
	return a, false, nil
}

// check compares the step the bot reached with the one expected.
func (p *person) check(replies []Reply) error {
	if p.want == "" || len(replies) == 0 {
		return nil
	}
	got := replies[len(replies)-1].Expect
	if p.want == dialog.ExpectChoice && got == dialog.ExpectMenu && p.turnedAway(replies) {
		return nil
	}
	if got != p.want {
		return fmt.Errorf("%s: after %q the bot asks for %s (%q), want %s", p.goal, p.last, got, replies[len(replies)-1].Text, p.want)
	}
	return nil
}

// turnedAway ends a person whose data matched a record that gives fewer
// identity questions than the policy's and nothing to make up for them
// (registry.CoverFor): the bot says the identity cannot be confirmed by
// chat and goes back to the menu, where the questions would come. Those
// who were to cancel at the questions reached their end (the round was
// begun and given back, as their "cancelar" did), as did those walking
// about; those creating or recovering did not. All are counted apart
// (GoalCount.Away).
func (p *person) turnedAway(replies []Reply) bool {
	if !slices.ContainsFunc(replies, func(r Reply) bool { return r.Text == p.texts.Away }) {
		return false
	}
	p.away, p.done = true, true
	p.reached = p.goal == GoalQuestions || p.goal == GoalMismatch || p.goal == GoalWander
	return true
}

// answer picks the message for what the bot waits for, and sets what it
// should ask next.
func (p *person) answer(exp dialog.Expect, replies []Reply) (Action, error) {
	if exp != "" && exp == p.detour {
		p.detour = ""
		p.want = exp
		return Action{Text: faqQuestions[p.seq%len(faqQuestions)]}, nil
	}
	switch exp {
	case "":
		p.want = dialog.ExpectMenu
		return Action{Text: "hola"}, nil
	case dialog.ExpectMenu:
		return p.menu(replies)
	case dialog.ExpectCUIL:
		p.want = map[Goal]dialog.Expect{GoalRecover: dialog.ExpectDNI, GoalChange: dialog.ExpectCurrentKey}[p.goal]
		if p.want == "" {
			p.want = dialog.ExpectFirstNames
		}
		return Action{Text: p.c.CUIL.String()}, nil
	case dialog.ExpectFirstNames, dialog.ExpectLastNames, dialog.ExpectBirthDate, dialog.ExpectDNI, dialog.ExpectTramite:
		return p.datum(exp), nil
	case dialog.ExpectChoice:
		return p.choice(replies)
	case dialog.ExpectText:
		p.want = dialog.ExpectChoice // the answer, then "was it useful?"
		return Action{Text: faqQuestions[p.seq%len(faqQuestions)]}, nil
	case dialog.ExpectCurrentKey:
		p.want = dialog.ExpectNewKey
		return Action{Text: p.key, Secret: true}, nil
	case dialog.ExpectNewKey:
		p.want = dialog.ExpectConfirmKey
		return Action{Text: p.newKey, Secret: true}, nil
	case dialog.ExpectConfirmKey:
		p.want = dialog.ExpectMenu
		return Action{Text: p.newKey, Secret: true}, nil
	}
	return Action{}, fmt.Errorf("%s: the bot waits for %q, which this person cannot answer", p.goal, exp)
}

// menu starts the goal's flow, or ends the person when the flow is over.
func (p *person) menu(replies []Reply) (Action, error) {
	if p.chose {
		p.reached = p.reached || p.goal.Hashes() == 0 || p.stored(replies)
		if !p.reached {
			return Action{}, fmt.Errorf("%s: back at the menu without the key stored", p.goal)
		}
		p.done = true
		return Action{}, nil
	}
	p.chose = true
	option := map[Goal]int{GoalRecover: 2, GoalChange: 3, GoalFAQ: 5}[p.goal]
	p.want = dialog.ExpectCUIL
	if option == 0 {
		option = 1
	}
	if p.goal == GoalFAQ {
		p.want = dialog.ExpectText
	}
	return p.tap(replies, option)
}

func (p *person) stored(replies []Reply) bool {
	return slices.ContainsFunc(replies, func(r Reply) bool { return p.texts.Done[r.Text] })
}

// tap chooses option n (1-based) of the last reply by its label.
func (p *person) tap(replies []Reply, n int) (Action, error) {
	last := replies[len(replies)-1]
	if n > len(last.Options) {
		return Action{}, fmt.Errorf("%s: option %d of %q, which has %d", p.goal, n, last.Text, len(last.Options))
	}
	return Action{Text: last.Options[n-1], Option: n}, nil
}

// datum gives one personal datum. The mismatch person gives a wrong
// birth date first; the bot asks for it again after the last datum. The
// número de trámite, when the record holds one, is asked only once the
// other data matched.
func (p *person) datum(exp dialog.Expect) Action {
	c := p.c
	order := []dialog.Expect{dialog.ExpectFirstNames, dialog.ExpectLastNames, dialog.ExpectBirthDate, dialog.ExpectDNI}
	if p.goal == GoalRecover {
		order = []dialog.Expect{dialog.ExpectDNI, dialog.ExpectBirthDate}
	}
	matched := dialog.ExpectChoice // what follows data that matched
	if c.Tramite != "" {
		matched = dialog.ExpectTramite
	}
	i := slices.Index(order, exp)
	switch {
	case exp == dialog.ExpectTramite:
		p.want = dialog.ExpectChoice
	case exp == dialog.ExpectBirthDate && p.mistyped && !p.corrected:
		p.corrected = true
		p.want = matched
	case i == len(order)-1 && p.mistyped && !p.corrected:
		p.want = dialog.ExpectBirthDate
	case i == len(order)-1:
		p.want = matched
	default:
		p.want = order[i+1]
	}
	switch exp {
	case dialog.ExpectFirstNames:
		return Action{Text: c.FirstNames}
	case dialog.ExpectLastNames:
		return Action{Text: c.LastNames}
	case dialog.ExpectDNI:
		return Action{Text: c.DNI}
	case dialog.ExpectTramite:
		return Action{Text: c.Tramite}
	}
	if p.goal == GoalMismatch && !p.mistyped {
		p.mistyped = true
		return Action{Text: c.BirthDate.AddDate(0, 0, 3).Format("02/01/2006")}
	}
	return Action{Text: c.BirthDate.Format("02/01/2006")}
}

// choice answers an identity question (rightly), rates a FAQ answer, or
// cancels at the questions.
func (p *person) choice(replies []Reply) (Action, error) {
	last := replies[len(replies)-1]
	if last.Text == p.texts.RateAsk {
		p.want = "" // thanks, then the menu or the FAQ again
		p.reached = true
		return p.tap(replies, 1)
	}
	if last.Text == p.texts.CheckOffer {
		// A trouble asked in words ("me dice que el cuil no existe") is
		// answered and the CUIL's check offered: this person only asked.
		p.want = ""
		p.reached = true
		return p.tap(replies, len(last.Options)) // "No"
	}
	if p.goal == GoalQuestions || p.goal == GoalMismatch {
		p.want = dialog.ExpectMenu
		p.reached = true
		return Action{Text: "cancelar"}, nil
	}
	truths := p.c.Truths()
	right := slices.IndexFunc(last.Options, func(o string) bool { return truths[o] })
	if right < 0 {
		right = slices.IndexFunc(last.Options, func(o string) bool { return p.texts.None[o] })
	}
	if right < 0 {
		return Action{}, fmt.Errorf("%s: no right option in %q %q", p.goal, last.Text, last.Options)
	}
	p.asked++
	p.want = "" // another question, or the new key after the last one
	return p.tap(replies, right+1)
}
