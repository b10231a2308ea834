package registry_test

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// anonymous is a citizen whose data no test key contains, so only the
// generic rules apply.
func anonymous() *registry.Citizen {
	return &registry.Citizen{
		CUIL: "20404040406", DNI: "40404040", FirstNames: "Xu", LastNames: "Ng",
		BirthDate: day(2003, 7, 9),
	}
}

func ruleOf(t *testing.T, err error) registry.KeyRule {
	t.Helper()
	if err == nil {
		return ""
	}
	var kre *registry.KeyRuleError
	if !errors.As(err, &kre) {
		t.Fatalf("error %v is not a *KeyRuleError", err)
	}
	if !errs.Is(errs.Invalid, err) {
		t.Fatalf("error %v is not Invalid", err)
	}
	return kre.Rule
}

func TestCheckKey(t *testing.T) {
	p := registry.DefaultPolicy()
	otherCUIL := maria()
	otherCUIL.CUIL = "23123456786" // middle digits other than the DNI
	delCarmen := maria()
	delCarmen.FirstNames = "María del Carmen"
	social := maria()
	social.SocialName = "Mateo"
	tests := []struct {
		name string
		key  string
		c    *registry.Citizen
		want registry.KeyRule
	}{
		{"good", "Tomate#Azul42", maria(), ""},
		{"good minimum length", "Cebra7Lx", maria(), ""},
		{"good maximum length", "Cebra7Lunes+Sol", maria(), ""},
		{"good multibyte counted in runes", "ñandú7Pájaroñ", maria(), ""},
		{"too short", "Ab1#xyz", maria(), registry.RuleLength},
		{"too long", "Cebra7Lunes+Sol!", maria(), registry.RuleLength},
		{"empty", "", maria(), registry.RuleLength},
		// Words cannot be masked when typed again (an attack probe).
		{"words", "gato azul 2025", maria(), registry.RuleSpace},
		{"a tab", "gato\tazul2025", maria(), registry.RuleSpace},
		{"a zero-width space", "Mate\u200b2025amargo", maria(), registry.RuleInvisible},
		{"zero-width spaces between words", "Gato\u200bazul\u200b25", maria(), registry.RuleInvisible},
		{"a byte order mark pasted first", "\ufeffMate2025amargo", maria(), registry.RuleInvisible},
		{"a soft hyphen", "Mate\u00ad2025amargo", maria(), registry.RuleInvisible},
		{"a right-to-left mark", "Mate2025\u200famargo", maria(), registry.RuleInvisible},
		{"a control character", "Mate2025\u0007amar", maria(), registry.RuleInvisible},
		{"no letter", "93817264", maria(), registry.RuleLetter},
		{"no letter symbols", "9381-7264!", maria(), registry.RuleLetter},
		{"no digit", "Tomate#Azul", maria(), registry.RuleDigit},
		{"dni", "Zorro31456789", maria(), registry.RuleDNI},
		{"dni with dots", "Z31.456.789", maria(), registry.RuleDNI},
		{"dni before name", "Gomez31456789", maria(), registry.RuleDNI},
		{"cuil", "k23123456786", otherCUIL, registry.RuleCUIL},
		{"cuil with dashes", "k23-12345678-6", otherCUIL, registry.RuleCUIL},
		{"cuil middle digits", "Zorro12345678", otherCUIL, registry.RuleCUIL},
		{"birth DDMMYYYY", "Zorro14031985", maria(), registry.RuleBirthDate},
		{"birth DD/MM/YYYY", "Z14/03/1985", maria(), registry.RuleBirthDate},
		{"birth DD-MM-YY", "Zorro#14-03-85", maria(), registry.RuleBirthDate},
		{"birth DDMMYY", "Zorro#140385", maria(), registry.RuleBirthDate},
		{"birth D/M/YY", "Zorro#14/3/85", maria(), registry.RuleBirthDate},
		{"birth YYYYMMDD", "Zorro19850314", maria(), registry.RuleBirthDate},
		{"birth YYYY-MM-DD", "Z1985-03-14", maria(), registry.RuleBirthDate},
		{"birth MMDDYYYY", "Zorro03141985", maria(), registry.RuleBirthDate},
		{"birth year", "Zorro#1985", maria(), registry.RuleBirthDate},
		{"birth day and month name", "Z14marzo!x", maria(), registry.RuleBirthDate},
		{"birth month name and year", "Z!MARZO85x", maria(), registry.RuleBirthDate},
		{"first name", "Maria#2024", maria(), registry.RuleName},
		{"first name accented upper", "XBELÉN-724", maria(), registry.RuleName},
		{"last name inside", "kRuizk!724", maria(), registry.RuleName},
		{"last name folded", "gomez!Tx72", maria(), registry.RuleName},
		{"social name", "Mateo!7x2q", social, registry.RuleName},
		{"particle is not a name", "Delfin#9876", delCarmen, ""},
		{"name after particle", "Carmen#9876", delCarmen, registry.RuleName},
		{"two-letter name allowed", "Xu#Zorro724", anonymous(), ""},
		{"common listed", "argentina1", anonymous(), registry.RuleCommon},
		{"common listed with case", "Password1", anonymous(), registry.RuleCommon},
		{"common with ñ", "contraseña1", anonymous(), registry.RuleCommon},
		{"common ñ folded", "Contrasena1", anonymous(), registry.RuleCommon},
		{"common word new year", "River2024!", anonymous(), registry.RuleCommon},
		{"common word digits before", "123boca456", anonymous(), registry.RuleCommon},
		{"common boca", "boca1234", anonymous(), registry.RuleCommon},
		{"common clave", "clave1234", anonymous(), registry.RuleCommon},
		{"common qwerty", "qwerty123", anonymous(), registry.RuleCommon},
		{"common 12345678a", "12345678a", anonymous(), registry.RuleCommon},
		{"trivial abcd1234", "abcd1234", anonymous(), registry.RuleCommon},
		{"trivial 1234abcd", "1234abcd", anonymous(), registry.RuleCommon},
		{"trivial descending", "zyxw9876", anonymous(), registry.RuleCommon},
		{"trivial keyboard", "asdfg5678", anonymous(), registry.RuleCommon},
		{"trivial repeated", "aaaa1111", anonymous(), registry.RuleCommon},
		{"trivial few characters", "ab1ab1ab1", anonymous(), registry.RuleCommon},
		{"trivial with symbols", "abcd1234!!", anonymous(), registry.RuleCommon},
		{"not trivial", "abcd1234Zq", anonymous(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ruleOf(t, p.CheckKey(tt.key, tt.c)); got != tt.want {
				t.Errorf("CheckKey(%q) rule = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
}

// TestCheckKeyCompatibilityForms is an attack probe's: the DNI, a name,
// the birth date or a common password typed in the fullwidth forms of a
// CJK keyboard ("３１４５６７８９") or the mathematical digits of a "fancy
// text" site ("𝟑𝟏𝟒…") read as the personal datum they show, and were
// taken: the rules looked for ASCII only. Judged in their compatibility
// form (NFKC), they break the rule they show; the key itself stays as
// typed, so a fullwidth key that shows nothing personal is still taken.
func TestCheckKeyCompatibilityForms(t *testing.T) {
	p := registry.DefaultPolicy()
	for _, tt := range []struct {
		name, key string
		c         *registry.Citizen
		want      registry.KeyRule
	}{
		{"dni fullwidth", "Z３１４５６７８９x1", maria(), registry.RuleDNI},
		{"dni mathematical bold", "𝟑𝟏𝟒𝟓𝟔𝟕𝟖𝟗Zq1", maria(), registry.RuleDNI},
		{"dni fullwidth with dots", "Z３１．４５６．７８９x1", maria(), registry.RuleDNI},
		{"birth date fullwidth", "Z１４／０３／１９８５k7", maria(), registry.RuleBirthDate},
		{"first name fullwidth", "Ｍａｒｉａ#2024", maria(), registry.RuleName},
		{"last name fullwidth", "ＧＯＭＥＺ!Tx72", maria(), registry.RuleName},
		{"common fullwidth", "ｐａｓｓｗｏｒｄ1", anonymous(), registry.RuleCommon},
		{"fullwidth showing nothing personal", "Ｔｏｍａｔｅ#Ａｚｕｌ42", maria(), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := ruleOf(t, p.CheckKey(tt.key, tt.c)); got != tt.want {
				t.Errorf("CheckKey(%q) rule = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
}

func TestCheckKeyPolicyLengths(t *testing.T) {
	p := registry.DefaultPolicy()
	p.KeyMinLen, p.KeyMaxLen = 10, 12
	for key, want := range map[string]registry.KeyRule{
		"Cebra7Lun":     registry.RuleLength,
		"Cebra7Lune":    "",
		"Cebra7Lunes+":  "",
		"Cebra7Lunes+S": registry.RuleLength,
	} {
		t.Run(key, func(t *testing.T) {
			if got := ruleOf(t, p.CheckKey(key, maria())); got != want {
				t.Errorf("rule %q, want %q", got, want)
			}
		})
	}
}

// TestCheckKeyCommonList checks that every listed password that passes the
// length, letter and digit rules is caught as common.
func TestCheckKeyCommonList(t *testing.T) {
	f, err := os.Open("common_passwords.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, c := registry.DefaultPolicy(), anonymous()
	checked := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n := len([]rune(line))
		if n < p.KeyMinLen || n > p.KeyMaxLen || !strings.ContainsFunc(line, unicode.IsLetter) ||
			!strings.ContainsFunc(line, unicode.IsDigit) {
			continue
		}
		checked++
		for _, key := range []string{line, strings.ToUpper(line)} {
			if got := ruleOf(t, p.CheckKey(key, c)); got != registry.RuleCommon {
				t.Errorf("CheckKey(%q) rule = %q, want common", key, got)
			}
		}
	}
	if checked < 40 {
		t.Errorf("only %d listed passwords could be keys; the list is too thin", checked)
	}
}
