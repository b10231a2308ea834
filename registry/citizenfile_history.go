package registry

import (
	"fmt"
	"strings"
	"time"

	"github.com/clavebot/clavebot/internal/phone"
)

// provinceAliases are other usual names of jurisdictions, already folded.
var provinceAliases = map[string]string{
	"caba":                       "Ciudad Autónoma de Buenos Aires",
	"capital federal":            "Ciudad Autónoma de Buenos Aires",
	"ciudad de buenos aires":     "Ciudad Autónoma de Buenos Aires",
	"ciudad autonoma de bs. as.": "Ciudad Autónoma de Buenos Aires",
	"provincia de buenos aires":  "Buenos Aires",
	"tierra del fuego, antartida e islas del atlantico sur": "Tierra del Fuego",
}

// fileProvince returns the canonical name of a jurisdiction written with any
// case or accents ("cordoba", "CÓRDOBA"), or a usual alias ("CABA").
func fileProvince(s string) (string, bool) {
	f := strings.Join(strings.Fields(fold(s)), " ")
	for _, p := range Provinces {
		if fold(p) == f {
			return p, true
		}
	}
	p, ok := provinceAliases[f]
	return p, ok
}

func (l *citizenLine) employers(c *Citizen) *FieldError {
	for i, e := range l.Employers {
		field := func(name string) string { return fmt.Sprintf("employers[%d].%s", i, name) }
		name, fe := fileText(field("name"), e.Name, true)
		if fe != nil {
			return fe
		}
		cuit, ok := fileDigits(e.CUIT, "-. ")
		if !ok || (cuit != "" && (len(cuit) != 11 || CheckDigit(cuit[:10]) != int(cuit[10]-'0'))) {
			return &FieldError{field("cuit"), ErrCUIT}
		}
		from, err := fileMonth(e.From, true)
		if err != nil {
			return &FieldError{field("from"), err}
		}
		to, err := fileMonth(e.To, false)
		if err != nil {
			return &FieldError{field("to"), err}
		}
		if to != "" && to < from {
			return &FieldError{field("to"), ErrMonthOrder}
		}
		c.Employers = append(c.Employers, Employer{Name: name, CUIT: cuit, From: from, To: to})
	}
	return nil
}

func (l *citizenLine) benefits(c *Citizen) *FieldError {
	for i, b := range l.Benefits {
		field := func(name string) string { return fmt.Sprintf("benefits[%d].%s", i, name) }
		name, fe := fileText(field("name"), b.Name, true)
		if fe != nil {
			return fe
		}
		since, err := fileMonth(b.Since, true)
		if err != nil {
			return &FieldError{field("since"), err}
		}
		c.Benefits = append(c.Benefits, Benefit{Name: name, Since: since})
	}
	return nil
}

// fileMonth checks a YYYY-MM month; "" is an error only when required.
func fileMonth(s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return "", ErrRequired
		}
		return "", nil
	}
	if _, err := time.Parse("2006-01", s); err != nil || len(s) != 7 {
		return "", ErrFileMonth
	}
	return s, nil
}

// contacts reads the optional e-mail and phone (CONTRACT §2). A verified
// flag needs the contact it speaks of.
func (l *citizenLine) contacts(c *Citizen) *FieldError {
	fields := []struct {
		kind     ContactKind
		value    *string
		verified *bool
		parse    func(string) (string, error)
	}{
		{ContactEmail, l.Email, l.EmailVerified, ParseEmail},
		{ContactPhone, l.Phone, l.PhoneVerified, parseFilePhone},
	}
	for _, f := range fields {
		name := string(f.kind)
		verified := f.verified != nil && *f.verified
		if f.value == nil {
			if verified {
				return &FieldError{name + "_verified", fmt.Errorf("%w: %s", ErrRequired, name)}
			}
			continue
		}
		if f.kind == ContactPhone && !verified && phone.Landline(*f.value) {
			// A landline not verified: no factor, and no contact the bot
			// reaches (codes go to mobiles); left out, not the file
			// refused (a regression probe: registries hold many).
			continue
		}
		u := ContactUpdate{Kind: f.kind, Verified: verified}
		if strings.TrimSpace(*f.value) != "" {
			v, err := f.parse(*f.value)
			if err != nil {
				return &FieldError{name, err}
			}
			u.Value = v
		} else if verified {
			return &FieldError{name + "_verified", fmt.Errorf("%w: %s", ErrRequired, name)}
		}
		c.Contacts = append(c.Contacts, u)
	}
	return nil
}
