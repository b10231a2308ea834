package dialog_test

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/registry"
)

func TestCreateHappyPath(t *testing.T) {
	h := newHarness(t)
	const chat = "c1"
	h.step(chat, "hola", dialog.ExpectMenu, "Crear mi clave", "Hablar con una persona")
	h.step(chat, "Crear mi clave", dialog.ExpectCUIL, "tené a mano", "11 números")
	h.step(chat, "20 31456789 8", dialog.ExpectFirstNames)
	h.step(chat, "María  Belén", dialog.ExpectLastNames)
	h.step(chat, "Gómez Ruiz", dialog.ExpectBirthDate)
	h.step(chat, "14 de marzo de 1985", dialog.ExpectDNI)
	rs := h.step(chat, "31456789", dialog.ExpectChoice, "3 preguntas", "Pregunta 1 de 3")
	if n := len(rs[len(rs)-1].Options); n < 4 || n > 5 {
		t.Fatalf("question has %d options, want 4 or 5", n)
	}
	rs = h.answerQuestions(chat, maria, false)
	if !strings.Contains(dump(rs), "entre 8 y 15 caracteres") {
		t.Fatalf("the key rules are not stated before the key is asked:\n%s", dump(rs))
	}
	h.step(chat, "Córdoba2024x", dialog.ExpectConfirmKey)
	h.step(chat, "Córdoba2024x", dialog.ExpectMenu, "quedó creada", "anses.gob.ar", "no la compartas")

	res, err := h.reg.Verify(h.ctx, "20314567898", "Córdoba2024x", "test")
	if err != nil || res.Status != registry.VerifyOK {
		t.Fatalf("verify after create = %v, %v; want ok", res.Status, err)
	}
	if raw := string(h.store.Raw(chat)); strings.Contains(raw, "Córdoba2024x") || strings.Contains(raw, "C\\u00f3rdoba2024x") {
		t.Fatalf("the clear key is in the chat state: %s", raw)
	}
	if raw := string(h.store.Raw(chat)); !strings.Contains(raw, "transcript.hidden_key") {
		t.Fatalf("the transcript does not hide the key: %s", raw)
	}
}

func TestCreateKeyRules(t *testing.T) {
	h := newHarness(t)
	const chat = "rules"
	h.toKeyStep(chat)
	tests := []struct {
		key, want string
	}{
		{"corta1", "entre 8 y 15"},
		{"soloLetrasAca", "al menos un número"},
		{"1234567890", "al menos una letra"},
		{"x31456789x", "DNI"},
		{"belen12345", "nombre"},
		{"ab14031985", "fecha de nacimiento"},
		{"password1", "muy común"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			h.step(chat, tt.key, dialog.ExpectNewKey, tt.want)
		})
	}
	h.step(chat, "Tranqui2025k", dialog.ExpectConfirmKey)
	h.step(chat, "Tranqui2025j", dialog.ExpectNewKey, "no coinciden")
	h.step(chat, "Tranqui2025k", dialog.ExpectConfirmKey)
	h.step(chat, "Tranqui2025k", dialog.ExpectMenu, "quedó creada")
}

func TestCUILDiagnostics(t *testing.T) {
	h := newHarness(t)
	const chat = "cuil"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, "2031456789", dialog.ExpectCUIL, "11 números")
	h.step(chat, "20-31456789-4", dialog.ExpectCUIL, "último número")
	h.step(chat, "20-33444555-1", dialog.ExpectCUIL, "No encontramos")
	rs := h.step(chat, "  27.35999888.6 ", dialog.ExpectFirstNames)
	for _, r := range rs {
		if strings.Contains(r.Text, "Ana") || strings.Contains(r.Text, "López") {
			t.Fatalf("registry data shown before validation: %q", r.Text)
		}
	}
}

func TestCreateWhenKeyExistsOffersRecovery(t *testing.T) {
	h := newHarness(t)
	const chat = "exists"
	h.toKeyStep(chat)
	h.step(chat, "Existe2025z", dialog.ExpectConfirmKey)
	h.step(chat, "Existe2025z", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, maria, dialog.ExpectChoice, "ya tiene una clave", "recuperarla")
	h.step(chat, "sí", dialog.ExpectDNI)
}

func TestPersonalDataMismatchHints(t *testing.T) {
	tests := []struct {
		name, cuil string
		answers    []string
		want       string
	}{
		{"missing second name", maria, []string{"María", "Gómez Ruiz", "14/03/1985", "31456789"}, "segundo nombre"},
		{"swapped surnames", maria, []string{"María Belén", "Ruiz Gómez", "14/03/1985", "31456789"}, "orden de los apellidos"},
		{"day and month swapped", juan, []string{"Juan", "Pérez", "11/02/1997", "40111222", "00612345678"}, "invertidos"},
		{"mistyped date", maria, []string{"María Belén", "Gómez Ruiz", "15/03/1985", "31456789"}, "fecha de nacimiento"},
		{"mistyped dni", maria, []string{"María Belén", "Gómez Ruiz", "14/03/1985", "31456788"}, "número de DNI"},
		{"mistyped tramite", juan, []string{"Juan", "Pérez", "02/11/1997", "40111222", "00612345679"}, "número de trámite"},
		{"social name", maria, []string{"Lola", "Gómez Ruiz", "14/03/1985", "31456789"}, "nombre social"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			const chat = "mm"
			h.step(chat, "hola", dialog.ExpectMenu)
			h.step(chat, "1", dialog.ExpectCUIL)
			h.step(chat, tt.cuil, dialog.ExpectFirstNames)
			var rs []reply
			for _, a := range tt.answers {
				rs = h.send(chat, a)
			}
			all := dump(rs)
			if !strings.Contains(all, "no coinciden") || !strings.Contains(all, tt.want) {
				t.Fatalf("replies lack the hint %q:\n%s", tt.want, all)
			}
			if !strings.Contains(all, "Te quedan 2 intentos") {
				t.Fatalf("replies do not count attempts:\n%s", all)
			}
			for _, secret := range []string{"1985", "1997", "Belén", "Gómez", "Pérez", "31.456.789", "40111222", "00612345678"} {
				if strings.Contains(all, secret) {
					t.Fatalf("a mismatch reveals stored data %q:\n%s", secret, all)
				}
			}
		})
	}
}

func TestValidationLockout(t *testing.T) {
	h := newHarness(t)
	h.failValidation("a")
	h.failValidation("b")
	rs := h.failValidation("c") // a third chat: the lockout is per CUIL, not per chat
	all := dump(rs)
	if !strings.Contains(all, "no puede validar su identidad hasta el 24/11/2026 a las 16:00") {
		t.Fatalf("third failure does not lock for 4 h (Argentina time):\n%s", all)
	}
	if !strings.Contains(all, "oficina") {
		t.Fatalf("lockout does not say what is left:\n%s", all)
	}
	// Survives a restart and a flush of the state store.
	h.store = dialogtestStore(h)
	h.restart()
	h.step("d", "hola", dialog.ExpectMenu)
	h.step("d", "1", dialog.ExpectCUIL)
	h.step("d", ana, dialog.ExpectChoice, "hasta el 24/11/2026")
	h.now = h.now.Add(4*60*60*1e9 + 1)
	h.step("d", "menú", dialog.ExpectMenu)
	h.step("d", "1", dialog.ExpectCUIL)
	h.step("d", ana, dialog.ExpectFirstNames)
}

func TestQuestionsWrongKeepSameQuestions(t *testing.T) {
	h := newHarness(t)
	const chat = "q"
	toQuestions := func() []reply {
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, "1", dialog.ExpectCUIL)
		h.step(chat, ana, dialog.ExpectFirstNames)
		h.send(chat, "ana")
		h.send(chat, "lopez")
		h.send(chat, "25-07-1990")
		return h.step(chat, "35.999.888", dialog.ExpectChoice)
	}
	first := toQuestions()
	rs := h.answerQuestions(chat, ana, true)
	all := dump(rs)
	if !strings.Contains(all, "Alguna respuesta no es correcta") || !strings.Contains(all, "Pregunta 1 de 3") {
		t.Fatalf("a wrong answer does not fail the round:\n%s", all)
	}
	h.step(chat, "cancelar", dialog.ExpectMenu)
	again := toQuestions()
	if a, b := dump(first[len(first)-1:]), dump(again[len(again)-1:]); a != b {
		t.Fatalf("starting over rerolled the questions:\n%s\n---\n%s", a, b)
	}
}

func TestTramiteAsked(t *testing.T) {
	h := newHarness(t)
	const chat = "tr"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, juan, dialog.ExpectFirstNames)
	h.step(chat, "juan", dialog.ExpectLastNames)
	h.step(chat, "perez", dialog.ExpectBirthDate)
	h.step(chat, "2/11/97", dialog.ExpectDNI)
	h.step(chat, "40111222", dialog.ExpectTramite)
	h.step(chat, "123", dialog.ExpectTramite, "11 números")
	h.step(chat, "00612345678", dialog.ExpectChoice, "Pregunta 1 de 3")
}
