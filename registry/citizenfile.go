package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/clavebot/clavebot/internal/errs"
	"golang.org/x/text/unicode/norm"
)

// FieldError names the field of a citizens-file line (CONTRACT §2) that
// breaks a rule: "birth_date", "employers[1].from".
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Err.Error()
	}
	return "field " + e.Field + ": " + e.Err.Error()
}

func (e *FieldError) Unwrap() error { return e.Err }

// Reasons a citizens-file field is rejected, besides ErrCUILLength,
// ErrCUILCheckDigit, ErrDNIFormat and ErrTramiteFormat. All are errs.Invalid.
var (
	ErrRequired   = errs.New(errs.Invalid, "required")
	ErrFileDate   = errs.New(errs.Invalid, "want a date YYYY-MM-DD")
	ErrFileMonth  = errs.New(errs.Invalid, "want a month YYYY-MM")
	ErrFutureDate = errs.New(errs.Invalid, "in the future")
	// ErrIssuedBeforeBirth is a DNI issued before its holder was born.
	ErrIssuedBeforeBirth = errs.New(errs.Invalid, "before the birth date")
	ErrMonthOrder        = errs.New(errs.Invalid, "ends before it starts")
	ErrProvince          = errs.New(errs.Invalid, "not one of the 24 jurisdictions")
	ErrSex               = errs.New(errs.Invalid, "want F, M or X")
	ErrCUIT              = errs.New(errs.Invalid, "a CUIT has 11 digits and a valid check digit")
	ErrNotUTF8           = errs.New(errs.Invalid, "not UTF-8: save the file as UTF-8")
	ErrReplacement       = errs.New(errs.Invalid, "holds U+FFFD (\ufffd), a character an earlier conversion lost")
	ErrControl           = errs.New(errs.Invalid, "holds a control character")
	ErrNotJSONLine       = errs.New(errs.Invalid, "not a JSON object")
	ErrWrongJSONTyp      = errs.New(errs.Invalid, "wrong JSON type")
	// ErrProvinceAbroad is a province given for a person born abroad.
	ErrProvinceAbroad = errs.New(errs.Invalid, "given with a birth_country abroad: leave it empty")
)

// citizenLine is a line as written; every field is checked before it becomes
// a Citizen. Unknown fields are ignored, so files may carry more.
type citizenLine struct {
	CUIL          string     `json:"cuil"`
	DNI           string     `json:"dni"`
	FirstNames    string     `json:"first_names"`
	LastNames     string     `json:"last_names"`
	BirthDate     string     `json:"birth_date"`
	Sex           string     `json:"sex"`
	DNIIssueDate  string     `json:"dni_issue_date"`
	BirthProvince string     `json:"birth_province"`
	SocialName    string     `json:"social_name"`
	DNITramite    string     `json:"dni_tramite"`
	Employers     []Employer `json:"employers"`
	Benefits      []Benefit  `json:"benefits"`
	// Contacts are pointers: a line that leaves one out keeps what is
	// stored (a person may have registered it in the chat).
	Email         *string `json:"email"`
	EmailVerified *bool   `json:"email_verified"`
	Phone         *string `json:"phone"`
	PhoneVerified *bool   `json:"phone_verified"`
	// BirthCountry is where a person born abroad was born, as their DNI
	// shows it where the province goes ("Paraguay"): with it, and not
	// Argentina, birth_province is left empty. Not stored: the province
	// question's answer is then "none of these".
	BirthCountry string `json:"birth_country"`
}

// DecodeCitizen reads one line of the citizens file (CONTRACT §2) and checks
// every field, today being the day of time.Now (see DecodeCitizenAt).
func DecodeCitizen(line []byte) (*Citizen, error) { return DecodeCitizenAt(line, time.Now()) }

// DecodeCitizenAt reads one line of the citizens file (CONTRACT §2) and
// checks every field; no date may be later than now. Errors are
// errs.Invalid and carry a *FieldError naming the field.
func DecodeCitizenAt(line []byte, now time.Time) (*Citizen, error) {
	if !utf8.Valid(line) {
		// encoding/json would read each byte that is not UTF-8 as U+FFFD.
		return nil, errs.E(errs.Invalid, "decode citizen", &FieldError{notUTF8(line, ""), ErrNotUTF8})
	}
	var l citizenLine
	if err := json.Unmarshal(line, &l); err != nil {
		return nil, errs.E(errs.Invalid, "decode citizen", jsonFieldError(err))
	}
	c, err := l.citizen(now)
	if err != nil {
		return nil, errs.E(errs.Invalid, "decode citizen", err)
	}
	return c, nil
}

// jsonFieldError names the field of a JSON type error ("dni" given as a
// number); other JSON errors name no field.
func jsonFieldError(err error) *FieldError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &FieldError{Field: fieldPath(te.Field), Err: fmt.Errorf("%w: got %s", ErrWrongJSONTyp, te.Value)}
	}
	return &FieldError{Err: fmt.Errorf("%w: %w", ErrNotJSONLine, err)}
}

// fieldPath writes encoding/json's path of a field, "employers.0.from",
// as the file's other errors name it, "employers[0].from": one error read
// "field employers.0", the next "field employers[0].from".
func fieldPath(p string) string {
	var b strings.Builder
	for i, part := range strings.Split(p, ".") {
		if _, err := strconv.Atoi(part); err == nil && i > 0 {
			b.WriteString("[" + part + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(part)
	}
	return b.String()
}

func (l *citizenLine) citizen(now time.Time) (*Citizen, error) {
	c := &Citizen{}
	dates := func(c *Citizen) *FieldError { return l.dates(c, now) }
	steps := []func(*Citizen) *FieldError{
		l.identity, l.names, dates, l.place, l.employers, l.benefits, l.contacts,
	}
	for _, step := range steps {
		if fe := step(c); fe != nil {
			return nil, fe
		}
	}
	return c, nil
}

func (l *citizenLine) identity(c *Citizen) *FieldError {
	if strings.TrimSpace(l.CUIL) == "" {
		return &FieldError{"cuil", ErrRequired}
	}
	cuil, err := ParseCUIL(l.CUIL)
	if err != nil {
		return &FieldError{"cuil", errors.Unwrap(err)}
	}
	dni, ok := fileDigits(l.DNI, ".")
	if !ok || len(dni) < 7 || len(dni) > 8 {
		return &FieldError{"dni", ErrDNIFormat}
	}
	tramite, ok := fileDigits(l.DNITramite, ".-")
	if !ok || (tramite != "" && len(tramite) != 11) {
		return &FieldError{"dni_tramite", ErrTramiteFormat}
	}
	c.CUIL, c.DNI, c.DNITramite = cuil, dni, tramite
	return nil
}

func (l *citizenLine) names(c *Citizen) *FieldError {
	fields := []struct {
		name     string
		in       string
		out      *string
		required bool
	}{
		{"first_names", l.FirstNames, &c.FirstNames, true},
		{"last_names", l.LastNames, &c.LastNames, true},
		{"social_name", l.SocialName, &c.SocialName, false},
	}
	for _, f := range fields {
		s, fe := fileText(f.name, f.in, f.required)
		if fe != nil {
			return fe
		}
		*f.out = s
	}
	return nil
}

// dates reads the birth and the DNI's issue, neither later than now, nor
// the issue before the birth: the citizen could never answer them (a
// typo, day and month swapped, the issue date in the birth date's place).
func (l *citizenLine) dates(c *Citizen, now time.Time) *FieldError {
	var err error
	if c.BirthDate, err = fileDate(l.BirthDate, now); err != nil {
		return &FieldError{"birth_date", err}
	}
	if c.DNIIssueDate, err = fileDate(l.DNIIssueDate, now); err != nil {
		return &FieldError{"dni_issue_date", err}
	}
	if c.DNIIssueDate.Before(c.BirthDate) {
		return &FieldError{"dni_issue_date", fmt.Errorf("%w (%s)", ErrIssuedBeforeBirth, l.BirthDate)}
	}
	return nil
}

// place reads the province of birth, or none for a person born abroad:
// foreign-born residents hold a DNI and a CUIL, and a file could not
// carry them but with a province they were not born in, which made
// "none of these" wrong for them (a data probe: "Paraguay" was refused).
func (l *citizenLine) place(c *Citizen) *FieldError {
	country, fe := fileText("birth_country", l.BirthCountry, false)
	if fe != nil {
		return fe
	}
	abroad := country != "" && !argentina[strings.Join(strings.Fields(fold(country)), " ")]
	switch {
	case abroad && strings.TrimSpace(l.BirthProvince) != "":
		return &FieldError{"birth_province", ErrProvinceAbroad}
	case abroad:
		c.BirthProvince = ""
	case strings.TrimSpace(l.BirthProvince) == "":
		return &FieldError{"birth_province", ErrRequired}
	default:
		p, ok := fileProvince(l.BirthProvince)
		if !ok {
			return &FieldError{"birth_province", ErrProvince}
		}
		c.BirthProvince = p
	}
	switch sex := strings.ToUpper(strings.TrimSpace(l.Sex)); sex {
	case "", "F", "M", "X":
		c.Sex = sex
	default:
		return &FieldError{"sex", ErrSex}
	}
	return nil
}

// argentina are the names of the country, folded: born there, the
// province is required.
var argentina = map[string]bool{"argentina": true, "republica argentina": true, "rep. argentina": true, "ar": true, "arg": true}

// fileText trims s, keeps its accents, and stores it in NFC so the same
// name typed on two keyboards is stored the same way.
func fileText(field, s string, required bool) (string, *FieldError) {
	if strings.ContainsRune(s, utf8.RuneError) {
		return "", &FieldError{field, ErrReplacement}
	}
	s = norm.NFC.String(strings.Join(strings.Fields(s), " "))
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		// "Mar\u0000ía": SQLite stored a name no one types, and
		// PostgreSQL refused the file naming no line (a contract probe).
		r, _ := utf8.DecodeRuneInString(s[i:])
		return "", &FieldError{field, fmt.Errorf("%w (%U)", ErrControl, r)}
	}
	if required && s == "" {
		return "", &FieldError{field, ErrRequired}
	}
	return s, nil
}

// fileDate reads a YYYY-MM-DD day no later than now's.
func fileDate(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, ErrRequired
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, ErrFileDate
	}
	if t.After(now) {
		return time.Time{}, ErrFutureDate
	}
	return t, nil
}

// fileDigits returns the digits of s when s holds only digits and the
// separators in seps.
func fileDigits(s, seps string) (string, bool) {
	s = strings.TrimSpace(s)
	var b bytes.Buffer
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(seps, r):
		default:
			return "", false
		}
	}
	return b.String(), true
}
