package dialog

import "github.com/clavebot/clavebot/registry"

// covered reports whether n identity questions, drawn for the chat's
// CUIL, are worth the policy's number (CONTRACT §5: 3, all right). A
// record that gives fewer safe questions (registry/distractors.go thins
// the guessable kinds) is validated only with what a stranger who knows
// the CUIL, names, birth date and DNI lacks: the número de trámite, asked
// before the questions when the record holds it, or a code to a verified
// contact, asked after them (StepFactor). Without either, one question
// was guessed with the three attempts of a lock window about half the
// time (registry.CoverFor). The contacts are read only for such a record.
func (t *turn) covered(n int) (bool, error) {
	p := t.e.reg.Policy()
	if n >= p.Questions {
		return true, nil
	}
	if n == 0 {
		return false, nil
	}
	c, err := t.citizen()
	if err != nil {
		return false, err
	}
	verified := false
	if c.DNITramite == "" {
		cs, err := t.e.reg.Contacts(t.ctx, t.st.CUIL)
		if err != nil {
			return false, err
		}
		verified = len(cs.Verified()) > 0
	}
	return p.CoverFor(c, n, verified) != registry.CoverMissing, nil
}
