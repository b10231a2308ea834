package registry

import (
	"math/rand/v2"
	"time"
)

// tinyQuestion serves a registry too small to lend donorsMin donors: the
// demonstration's five citizens, a test's three. No sample that small can
// hide an answer, so none is attempted: every kind is asked, wrong options
// come from the few donors and from built-in lists, and "none of these" is
// right for a kind the record lacks and a fifth of the time otherwise. The
// Service logs a warning when it draws such questions.
func (b *builder) tinyQuestion(k QuestionKind, t truth, exclude map[string]bool, rng *rand.Rand) (Question, bool) {
	var pool []string
	for _, vs := range b.lent(k) {
		for _, v := range vs {
			pool = append(pool, v.text)
		}
	}
	pool = append(pool, b.builtIn(k, rng)...)
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	seen := map[string]bool{}
	var wrong []string
	for _, v := range pool {
		key := valueKey(v)
		if len(wrong) == setSize-1 || key == "" || seen[key] || t.own[key] || exclude[key] {
			continue
		}
		seen[key] = true
		wrong = append(wrong, v)
	}
	if len(wrong) < setSize-1 {
		return Question{}, false
	}
	q := Question{Kind: k, Answer: setSize - 1}
	if t.key != "" && !t.forced && rng.IntN(setSize) != 0 {
		q.Answer = rng.IntN(setSize - 1)
		wrong[q.Answer] = t.text
	}
	for _, v := range wrong {
		q.Options = append(q.Options, Option{Text: v})
	}
	q.Options = append(q.Options, Option{None: true})
	return q, true
}

// builtIn pads a tiny registry's options: the provinces, invented
// employers, ANSES's benefits, or a dozen weekdays of the person's adult
// life.
func (b *builder) builtIn(k QuestionKind, rng *rand.Rand) []string {
	switch k {
	case QuestionProvince:
		return Provinces[:]
	case QuestionEmployer:
		return fallbackEmployers[:]
	case QuestionBenefit:
		return fallbackBenefits[:]
	}
	from := b.c.BirthDate.AddDate(16, 0, 0)
	if !from.Before(b.today) {
		from = b.c.BirthDate
	}
	span := int(b.today.Sub(from).Hours()/24) + 1
	out := make([]string, 0, 12)
	for range 12 {
		d := from.AddDate(0, 0, rng.IntN(span))
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			d = d.AddDate(0, 0, -1)
		}
		out = append(out, FormatDate(d))
	}
	return out
}

var fallbackEmployers = [...]string{
	"Supermercados del Sur SA", "Transportes Rioplatenses SRL", "Metalúrgica Avellaneda SA",
	"Panificadora La Espiga SRL", "Construcciones del Litoral SA", "Textil Pampeana SA",
	"Frigorífico San Jorge SA", "Logística Cuyo SRL", "Servicios Médicos Integrales SA",
	"Limpieza Total SRL", "Agropecuaria Los Álamos SA", "Distribuidora Norte Grande SRL",
	"Seguridad Privada Centinela SA", "Consultora Patagónica SRL", "Café y Bar El Molino SRL",
	"Escuela Privada San Martín", "Autoservicio La Esquina SRL", "Imprenta Gráfica Mitre SA",
}

var fallbackBenefits = [...]string{
	"Asignación Universal por Hijo", "Jubilación ordinaria", "Pensión no contributiva",
	"Prestación por desempleo", "Progresar", "Asignación por embarazo", "Tarjeta Alimentar",
	"Asignación familiar por hijo", "Pensión por fallecimiento", "Pensión Universal para el Adulto Mayor",
	"Asignación por hijo con discapacidad", "Potenciar Trabajo",
}
