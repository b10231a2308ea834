package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
)

// fileLine is a valid citizens-file line; edit changes it before encoding.
func fileLine(edit func(m map[string]any)) []byte {
	m := map[string]any{
		"cuil": "20-31456789-8", "dni": "31.456.789",
		"first_names": "María Belén", "last_names": "Gómez Ruiz",
		"birth_date": "1985-03-14", "sex": "F", "dni_issue_date": "2017-08-22",
		"birth_province": "Córdoba", "social_name": "",
		"employers": []any{map[string]any{"name": "Panificadora del Centro SRL", "cuit": "30-70812345-1", "from": "2006-02", "to": "2012-11"}},
		"benefits":  []any{map[string]any{"name": "Asignación Universal por Hijo", "since": "2015-06"}},
		"unknown":   "ignored",
	}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

func TestDecodeCitizen(t *testing.T) {
	got, err := DecodeCitizen(fileLine(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := &Citizen{
		CUIL: "20314567898", DNI: "31456789", FirstNames: "María Belén", LastNames: "Gómez Ruiz",
		BirthDate: time.Date(1985, 3, 14, 0, 0, 0, 0, time.UTC), Sex: "F",
		DNIIssueDate:  time.Date(2017, 8, 22, 0, 0, 0, 0, time.UTC),
		BirthProvince: "Córdoba",
		Employers:     []Employer{{Name: "Panificadora del Centro SRL", CUIT: "30708123451", From: "2006-02", To: "2012-11"}},
		Benefits:      []Benefit{{Name: "Asignación Universal por Hijo", Since: "2015-06"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DecodeCitizen\n got %+v\nwant %+v", got, want)
	}
}

func TestDecodeCitizenNormalizes(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(m map[string]any)
		check func(c *Citizen) bool
	}{
		{"province without accents", func(m map[string]any) { m["birth_province"] = "  cordoba " },
			func(c *Citizen) bool { return c.BirthProvince == "Córdoba" }},
		{"province in capitals", func(m map[string]any) { m["birth_province"] = "ENTRE RIOS" },
			func(c *Citizen) bool { return c.BirthProvince == "Entre Ríos" }},
		{"province alias", func(m map[string]any) { m["birth_province"] = "CABA" },
			func(c *Citizen) bool { return c.BirthProvince == "Ciudad Autónoma de Buenos Aires" }},
		{"decomposed accents", func(m map[string]any) { m["first_names"] = "Mari\u0301a  Bele\u0301n" },
			func(c *Citizen) bool { return c.FirstNames == "María Belén" }},
		{"lowercase sex", func(m map[string]any) { m["sex"] = "x" },
			func(c *Citizen) bool { return c.Sex == "X" }},
		{"no sex", func(m map[string]any) { delete(m, "sex") },
			func(c *Citizen) bool { return c.Sex == "" }},
		{"tramite", func(m map[string]any) { m["dni_tramite"] = "00512345678" },
			func(c *Citizen) bool { return c.DNITramite == "00512345678" }},
		{"seven-digit dni", func(m map[string]any) { m["dni"] = "6.789.012" },
			func(c *Citizen) bool { return c.DNI == "6789012" }},
		{"current job", func(m map[string]any) {
			m["employers"] = []any{map[string]any{"name": "Lácteos SA", "cuit": "", "from": "2013-01", "to": ""}}
		}, func(c *Citizen) bool { return c.Employers[0].To == "" && c.Employers[0].CUIT == "" }},
		{"no history", func(m map[string]any) { delete(m, "employers"); delete(m, "benefits") },
			func(c *Citizen) bool { return c.Employers == nil && c.Benefits == nil }},
		// A data probe: the foreign-born could not be imported but with a
		// province they were not born in.
		{"born abroad", func(m map[string]any) { m["birth_country"] = "Paraguay"; delete(m, "birth_province") },
			func(c *Citizen) bool { return c.BirthProvince == "" }},
		{"born abroad, province empty", func(m map[string]any) { m["birth_country"] = " Bolivia "; m["birth_province"] = "" },
			func(c *Citizen) bool { return c.BirthProvince == "" }},
		{"born in Argentina, said", func(m map[string]any) { m["birth_country"] = "ARGENTINA" },
			func(c *Citizen) bool { return c.BirthProvince == "Córdoba" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := DecodeCitizen(fileLine(tt.edit))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Errorf("DecodeCitizen = %+v", c)
			}
		})
	}
}

func TestDecodeCitizenRejects(t *testing.T) {
	set := func(k string, v any) func(m map[string]any) { return func(m map[string]any) { m[k] = v } }
	employer := func(k, v string) func(m map[string]any) {
		return func(m map[string]any) { m["employers"].([]any)[0].(map[string]any)[k] = v }
	}
	tests := []struct {
		name, field string
		edit        func(m map[string]any)
		want        error
	}{
		{"no cuil", "cuil", set("cuil", ""), ErrRequired},
		{"short cuil", "cuil", set("cuil", "20-3145678-8"), ErrCUILLength},
		{"cuil check digit", "cuil", set("cuil", "20-31456789-4"), ErrCUILCheckDigit},
		{"short dni", "dni", set("dni", "123.456"), ErrDNIFormat},
		{"dni with letters", "dni", set("dni", "31456789A"), ErrDNIFormat},
		{"dni as number", "dni", set("dni", 31456789), ErrWrongJSONTyp},
		{"no first names", "first_names", set("first_names", "  "), ErrRequired},
		{"no last names", "last_names", func(m map[string]any) { delete(m, "last_names") }, ErrRequired},
		{"birth date format", "birth_date", set("birth_date", "14/03/1985"), ErrFileDate},
		{"impossible date", "dni_issue_date", set("dni_issue_date", "2017-02-30"), ErrFileDate},
		{"born in the future", "birth_date", set("birth_date", "2999-03-14"), ErrFutureDate},
		{"issued in the future", "dni_issue_date", set("dni_issue_date", "2999-08-22"), ErrFutureDate},
		{"issued before the birth", "dni_issue_date", set("dni_issue_date", "1985-03-13"), ErrIssuedBeforeBirth},
		{"no issue date", "dni_issue_date", set("dni_issue_date", ""), ErrRequired},
		{"province", "birth_province", set("birth_province", "Montevideo"), ErrProvince},
		{"no province", "birth_province", set("birth_province", ""), ErrRequired},
		{"born in Argentina, no province", "birth_province", func(m map[string]any) { m["birth_country"] = "República Argentina"; m["birth_province"] = "" }, ErrRequired},
		{"born abroad with a province", "birth_province", set("birth_country", "Perú"), ErrProvinceAbroad},
		{"country with a control character", "birth_country", func(m map[string]any) { m["birth_country"] = "Per\u0000ú"; m["birth_province"] = "" }, ErrControl},
		{"sex", "sex", set("sex", "Femenino"), ErrSex},
		{"tramite", "dni_tramite", set("dni_tramite", "12345"), ErrTramiteFormat},
		{"employer name", "employers[0].name", employer("name", ""), ErrRequired},
		{"employer cuit", "employers[0].cuit", employer("cuit", "30-70812345-2"), ErrCUIT},
		{"employer from", "employers[0].from", employer("from", "2006-13"), ErrFileMonth},
		{"employer to", "employers[0].to", employer("to", "2012"), ErrFileMonth},
		{"employer order", "employers[0].to", employer("to", "2005-12"), ErrMonthOrder},
		{"email", "email", set("email", "lucia@gmail"), ErrEmailFormat},
		{"email type", "email", set("email", true), ErrWrongJSONTyp},
		{"phone", "phone", set("phone", "2345-6789"), ErrPhoneFormat},
		{"verified landline in E.164", "phone", func(m map[string]any) { m["phone"], m["phone_verified"] = "+541143219876", true }, ErrLandline},
		{"verified landline as spaced", "phone", func(m map[string]any) { m["phone"], m["phone_verified"] = "+54 351 421-9876", true }, ErrLandline},
		{"verified landline without its +", "phone", func(m map[string]any) { m["phone"], m["phone_verified"] = "541143219876", true }, ErrLandline},
		{"verified without email", "email_verified", set("email_verified", true), ErrRequired},
		{"verified empty phone", "phone_verified", func(m map[string]any) { m["phone"], m["phone_verified"] = "", true }, ErrRequired},
		// encoding/json names an element "employers.0": the file's
		// other errors name it as the rows above do.
		{"employer as text", "employers[0]", set("employers", []any{"Panificadora del Centro SRL"}), ErrWrongJSONTyp},
		{"employer from as number", "employers[0].from", func(m map[string]any) { m["employers"].([]any)[0].(map[string]any)["from"] = 200602 }, ErrWrongJSONTyp},
		{"second benefit's since as number", "benefits[1].since", func(m map[string]any) {
			m["benefits"] = []any{map[string]any{"name": "AUH", "since": "2015-06"}, map[string]any{"name": "Jubilación", "since": 2020}}
		}, ErrWrongJSONTyp},
		{"benefit since", "benefits[0].since", func(m map[string]any) {
			m["benefits"] = []any{map[string]any{"name": "Jubilación", "since": ""}}
		}, ErrRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeCitizen(fileLine(tt.edit))
			var fe *FieldError
			if !errs.Is(errs.Invalid, err) || !errors.As(err, &fe) || fe.Field != tt.field || !errors.Is(err, tt.want) {
				t.Errorf("DecodeCitizen: %v; want errs.Invalid, field %s, %v", err, tt.field, tt.want)
			}
		})
	}
}

// TestUnverifiedLandlineLeftOut: registries hold many landlines; one not
// verified is no second factor and no contact the bot can reach (codes go
// to mobiles): it is left out, and the file imports (a regression probe:
// one such line refused the whole file).
func TestUnverifiedLandlineLeftOut(t *testing.T) {
	for _, v := range []string{"+541143219876", "+54 351 421-9876"} {
		c, err := DecodeCitizen(fileLine(func(m map[string]any) { m["phone"] = v }))
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		for _, u := range c.Contacts {
			if u.Kind == ContactPhone {
				t.Errorf("%s: kept as %q", v, u.Value)
			}
		}
	}
}

func TestDecodeCitizenContacts(t *testing.T) {
	tests := []struct {
		name string
		edit func(m map[string]any)
		want []ContactUpdate
	}{
		{"none: an old file", nil, nil},
		{"both, normalised", func(m map[string]any) {
			m["email"], m["email_verified"] = " Maria@Gmail.com", true
			m["phone"] = "011 15 2345-6789"
		}, []ContactUpdate{
			{Kind: ContactEmail, Value: "maria@gmail.com", Verified: true},
			{Kind: ContactPhone, Value: "+5491123456789"},
		}},
		{"a mobile in E.164", func(m map[string]any) { m["phone"] = "+5493515551234" },
			[]ContactUpdate{{Kind: ContactPhone, Value: "+5493515551234"}}},
		{"a mobile with its 15 after +54", func(m map[string]any) { m["phone"] = "+54 11 15 2345-6789" },
			[]ContactUpdate{{Kind: ContactPhone, Value: "+5491123456789"}}},
		{"another country's", func(m map[string]any) { m["phone"] = "+34 612 345 678" },
			[]ContactUpdate{{Kind: ContactPhone, Value: "+34612345678"}}},
		{"cleared", func(m map[string]any) { m["phone"], m["phone_verified"] = "", false },
			[]ContactUpdate{{Kind: ContactPhone}}},
		{"null is left out", func(m map[string]any) { m["email"] = nil }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := DecodeCitizen(fileLine(tt.edit))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.Contacts, tt.want) {
				t.Errorf("contacts %+v, want %+v", c.Contacts, tt.want)
			}
		})
	}
}

func TestDecodeCitizenRejectsNonJSON(t *testing.T) {
	for _, line := range []string{`{"cuil":`, `[1,2]`, `hola`} {
		_, err := DecodeCitizen([]byte(line))
		if !errs.Is(errs.Invalid, err) || !errors.Is(err, ErrNotJSONLine) && !errors.Is(err, ErrWrongJSONTyp) {
			t.Errorf("DecodeCitizen(%s): %v, want Invalid", line, err)
		}
	}
}

// A file saved in Latin-1 (Excel's "CSV" on Windows) is refused, naming the
// field: encoding/json would turn "G\xf3mez" into "G\ufffdmez", a name no
// person can ever type, and the citizen could never validate. So is a
// U+FFFD already in the file, left by an earlier conversion.
func TestDecodeCitizenRejectsNotUTF8(t *testing.T) {
	const mark = "@@" // replaced by the bytes of the case once encoded
	set := func(k string) func(m map[string]any) { return func(m map[string]any) { m[k] = "G" + mark + "mez" } }
	employer := func(m map[string]any) {
		m["employers"].([]any)[0].(map[string]any)["name"] = "Panader" + mark + "a SRL"
	}
	tests := []struct {
		name, field, bytes string
		edit               func(m map[string]any)
		want               error
	}{
		{"latin-1 last names", "last_names", "\xf3", set("last_names"), ErrNotUTF8},
		{"latin-1 first names", "first_names", "\xed", set("first_names"), ErrNotUTF8},
		{"latin-1 social name", "social_name", "\xf1", set("social_name"), ErrNotUTF8},
		{"latin-1 province", "birth_province", "\xf3", set("birth_province"), ErrNotUTF8},
		{"latin-1 cuil", "cuil", "\xa0", set("cuil"), ErrNotUTF8},
		{"latin-1 employer", "employers[0].name", "\xed", employer, ErrNotUTF8},
		{"latin-1 email", "email", "\xf1", set("email"), ErrNotUTF8},
		{"latin-1 field the file adds", "unknown", "\xf3", set("unknown"), ErrNotUTF8},
		{"windows-1252 quote", "last_names", "\x92", set("last_names"), ErrNotUTF8},
		{"replacement character", "last_names", "\xef\xbf\xbd", set("last_names"), ErrReplacement},
		{"lone surrogate", "first_names", `\ud800`, set("first_names"), ErrReplacement},
		{"replacement in an employer", "employers[0].name", "\xef\xbf\xbd", employer, ErrReplacement},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := bytes.Replace(fileLine(tt.edit), []byte(mark), []byte(tt.bytes), 1)
			_, err := DecodeCitizen(line)
			var fe *FieldError
			if !errs.Is(errs.Invalid, err) || !errors.As(err, &fe) || fe.Field != tt.field || !errors.Is(err, tt.want) {
				t.Errorf("DecodeCitizen(%q): %v; want errs.Invalid, field %s, %v", line, err, tt.field, tt.want)
			}
		})
	}
}
