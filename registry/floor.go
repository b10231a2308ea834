package registry

// Cover is what makes up, in a validation, for identity questions a
// record cannot give safely (CONTRACT §5: three questions, all right).
// The registry thins the kinds whose common value would be guessed (see
// distractors.go) and asks fewer questions instead; one question is
// guessed with three attempts 48.8 % of the time, two 11.5 %, three 2.4 %.
// So a shortfall needs something a stranger who knows the CUIL, names,
// birth date and DNI does not have.
type Cover string

const (
	// CoverNone: the policy's number of questions, nothing to make up.
	CoverNone Cover = ""
	// CoverTramite: the número de trámite printed on the DNI card, asked
	// with the questions (validation asks it whenever the record has it).
	CoverTramite Cover = "tramite"
	// CoverCode: a one-time code to a verified e-mail or phone, the
	// second factor every validating flow already asks for.
	CoverCode Cover = "code"
	// CoverMissing: nothing makes up for it; the chat cannot validate
	// the person, who is not asked the questions at all.
	CoverMissing Cover = "missing"
)

// CoverFor decides what makes up for the questions c's record gives
// short of the policy's number: n questions drawn, verified whether the
// CUIL has a verified contact. A record with no question at all is never
// validated by chat, whatever else it holds: the trámite and the code
// make up for strength the questions lack, they do not replace them.
func (p Policy) CoverFor(c *Citizen, n int, verified bool) Cover {
	switch {
	case n >= p.Questions:
		return CoverNone
	case n == 0:
		return CoverMissing
	case c.DNITramite != "":
		return CoverTramite
	case verified:
		return CoverCode
	}
	return CoverMissing
}
