// Package registrytest makes realistic synthetic citizens for tests and
// benchmarks: ages by a population pyramid, DNIs issued the way Argentina
// issues them (updates at 14 or 16, renewals every 15 years, the 2011-2017
// change to the card, losses, no offices open on weekends nor in the 2020
// lockdown), provinces of birth by the 2022 census, employers from a
// Zipf-like distribution and benefits that depend on age and sex. The
// identity questions' attacker test and the distractor benchmarks use them;
// nothing in production does.
package registrytest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/clavebot/clavebot/registry"
)

// ProvincePopulation is the 2022 census, in thousands: births are drawn
// with these weights.
var ProvincePopulation = map[string]int{
	"Ciudad Autónoma de Buenos Aires": 3121, "Buenos Aires": 17523, "Catamarca": 429,
	"Chaco": 1142, "Chubut": 603, "Córdoba": 3840, "Corrientes": 1212,
	"Entre Ríos": 1425, "Formosa": 607, "Jujuy": 811, "La Pampa": 361,
	"La Rioja": 384, "Mendoza": 2043, "Misiones": 1280, "Neuquén": 710,
	"Río Negro": 762, "Salta": 1441, "San Juan": 818, "San Luis": 540,
	"Santa Cruz": 333, "Santa Fe": 3556, "Santiago del Estero": 1060,
	"Tierra del Fuego": 185, "Tucumán": 1703,
}

// Generator makes citizens; the same seed gives the same people.
type Generator struct {
	rng       *rand.Rand
	now       time.Time
	dnis      map[int]bool
	employers *zipf
	provinces *weighted
}

// New returns a generator of people alive at now.
func New(seed uint64, now time.Time) *Generator {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	g := &Generator{rng: rng, now: now, dnis: map[int]bool{}}
	g.employers = newZipf(employerNames(), 1.05)
	names := make([]string, 0, len(registry.Provinces))
	weights := make([]float64, 0, len(registry.Provinces))
	for _, p := range registry.Provinces {
		names = append(names, p)
		weights = append(weights, float64(ProvincePopulation[p]))
	}
	g.provinces = newWeighted(names, weights)
	return g
}

// Generate returns n citizens of 18 years or more.
func Generate(n int, seed uint64, now time.Time) []*registry.Citizen {
	g := New(seed, now)
	out := make([]*registry.Citizen, n)
	for i := range out {
		out[i] = g.Citizen()
	}
	return out
}

// Citizen makes one person.
func (g *Generator) Citizen() *registry.Citizen {
	c := &registry.Citizen{Sex: "M"}
	if g.rng.Float64() < 0.51 {
		c.Sex = "F"
	}
	c.BirthDate = g.birthDate()
	c.DNI, c.CUIL = g.identity(c.Sex, c.BirthDate.Year())
	c.FirstNames, c.LastNames = g.names(c.Sex)
	c.BirthProvince = g.provinces.draw(g.rng)
	c.DNIIssueDate = g.issueDate(c.BirthDate)
	c.Employers = g.workHistory(c.BirthDate)
	c.Benefits = g.benefits(c, len(c.Employers) > 0)
	return c
}

// birthDate follows a pyramid: about flat from 18 to 55, thinning after.
func (g *Generator) birthDate() time.Time {
	for {
		age := 18 + g.rng.Float64()*80
		keep := 1.0
		if age > 55 {
			keep = math.Exp(-(age - 55) / 14)
		}
		if g.rng.Float64() < keep {
			return day(g.now.AddDate(0, 0, -int(age*365.25)))
		}
	}
}

// identity gives a DNI number that grows with the birth year, as numbers
// were handed out, and a CUIL with a valid check digit.
func (g *Generator) identity(sex string, year int) (string, registry.CUIL) {
	prefix := "20"
	if sex == "F" {
		prefix = "27"
	}
	for {
		base := max(4_000_000+(year-1940)*650_000, 1_700_000)
		n := base + g.rng.IntN(1_300_000) - 650_000
		if g.dnis[n] {
			continue
		}
		dni := fmt.Sprintf("%08d", n)
		d := registry.CheckDigit(prefix + dni)
		if d < 0 {
			continue
		}
		g.dnis[n] = true
		return strconv.Itoa(n), registry.CUIL(prefix + dni + strconv.Itoa(d))
	}
}

var (
	femaleNames = []string{"María", "Ana", "Lucía", "Sofía", "Valentina", "Graciela", "Silvia", "Claudia", "Romina", "Florencia", "Camila", "Norma", "Marta", "Paula"}
	maleNames   = []string{"Juan", "Carlos", "José", "Luis", "Jorge", "Martín", "Diego", "Pablo", "Lucas", "Mateo", "Ramón", "Néstor", "Hugo", "Facundo"}
	lastNames   = []string{"González", "Rodríguez", "Gómez", "Fernández", "López", "Díaz", "Martínez", "Pérez", "Romero", "Sánchez", "García", "Sosa", "Torres", "Álvarez", "Ruiz", "Ramírez", "Flores", "Benítez", "Acosta", "Medina"}
)

func (g *Generator) names(sex string) (first, last string) {
	list := maleNames
	if sex == "F" {
		list = femaleNames
	}
	first = list[g.rng.IntN(len(list))]
	if g.rng.IntN(2) == 0 {
		first += " " + list[g.rng.IntN(len(list))]
	}
	return first, lastNames[g.rng.IntN(len(lastNames))]
}

// issueDate is the latest DNI the person was issued: the update at 16
// (14 for those born from 1995), the card that replaced the booklets from
// 2011 to 2017, a renewal 15 years after each issue (often late), and a
// lost or stolen DNI now and then.
func (g *Generator) issueDate(birth time.Time) time.Time {
	first := birth.AddDate(16, 0, g.rng.IntN(365))
	if birth.Year() >= 1995 {
		first = birth.AddDate(14, 0, g.rng.IntN(300))
	}
	last := g.office(first)
	for {
		next := last.AddDate(15, 0, g.rng.IntN(2*365))
		if g.rng.Float64() < 0.15 {
			next = time.Time{} // never renews on time
		}
		if last.Before(cardStart) && g.rng.Float64() < 0.75 {
			if c := cardStart.AddDate(0, 0, g.rng.IntN(int(cardEnd.Sub(cardStart).Hours()/24))); c.After(last) && (next.IsZero() || c.Before(next)) {
				next = c
			}
		}
		// Losses come at about 2 % a year.
		if lost := last.AddDate(0, 0, int(g.rng.ExpFloat64()*365/0.02)); next.IsZero() || lost.Before(next) {
			next = lost
		}
		next = g.office(next)
		if next.After(g.now) {
			return last
		}
		last = next
	}
}

var (
	cardStart    = day(time.Date(2011, 1, 1, 0, 0, 0, 0, time.UTC))
	cardEnd      = day(time.Date(2017, 12, 31, 0, 0, 0, 0, time.UTC))
	lockdown     = day(time.Date(2020, 3, 20, 0, 0, 0, 0, time.UTC))
	lockdownOver = day(time.Date(2020, 7, 1, 0, 0, 0, 0, time.UTC))
)

// office moves t to a day the registry's offices issue DNIs: not in the
// 2020 lockdown, not on a weekend.
func (g *Generator) office(t time.Time) time.Time {
	if !t.Before(lockdown) && t.Before(lockdownOver) {
		t = lockdownOver.AddDate(0, 0, g.rng.IntN(60))
	}
	switch t.Weekday() {
	case time.Saturday:
		t = t.AddDate(0, 0, 2)
	case time.Sunday:
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// workHistory gives about a third of people no registered job and the rest
// one to six employers, the common ones far more often.
func (g *Generator) workHistory(birth time.Time) []registry.Employer {
	age := g.now.Sub(birth).Hours() / 24 / 365.25
	pNone := 0.3
	if age < 25 {
		pNone = 0.55
	}
	if g.rng.Float64() < pNone {
		return nil
	}
	n := 1 + min(int(g.rng.ExpFloat64()*age/25), 5)
	start := birth.AddDate(18+g.rng.IntN(6), 0, 0)
	var out []registry.Employer
	seen := map[string]bool{}
	for len(out) < n && start.Before(g.now) {
		name := g.employers.draw(g.rng)
		if seen[name] {
			continue
		}
		seen[name] = true
		end := start.AddDate(0, 1+g.rng.IntN(120), 0)
		e := registry.Employer{Name: name, CUIT: "", From: start.Format("2006-01")}
		if end.Before(g.now) {
			e.To = end.Format("2006-01")
		}
		out = append(out, e)
		start = end.AddDate(0, g.rng.IntN(12), 0)
	}
	return out
}

// benefits depend on age and sex, as ANSES's do: retirement at 60 (women)
// or 65 (men), Progresar for the young, AUH mostly for mothers of working
// age without a registered job.
func (g *Generator) benefits(c *registry.Citizen, worked bool) []registry.Benefit {
	age := int(g.now.Sub(c.BirthDate).Hours() / 24 / 365.25)
	retire := 65
	if c.Sex == "F" {
		retire = 60
	}
	var out []string
	add := func(p float64, name string) {
		if g.rng.Float64() < p {
			out = append(out, name)
		}
	}
	switch {
	case age >= retire:
		switch r := g.rng.Float64(); {
		case r < 0.72:
			out = append(out, "Jubilación ordinaria")
		case r < 0.87:
			out = append(out, "Pensión Universal para el Adulto Mayor")
		}
		add(0.2, "Pensión por fallecimiento")
		add(0.05, "Pensión no contributiva")
	case age <= 24:
		add(0.3, "Becas Progresar")
		add(0.04, "Pensión no contributiva")
	default:
		mother := c.Sex == "F" && age <= 50
		if mother && !worked {
			add(0.45, "Asignación Universal por Hijo")
		} else if age <= 50 {
			add(0.12, "Asignación Universal por Hijo")
		}
		if len(out) > 0 {
			add(0.5, "Tarjeta Alimentar")
		}
		if worked {
			add(0.25, "Asignación familiar por hijo")
			add(0.05, "Prestación por desempleo")
		}
		add(0.06, "Potenciar Trabajo")
		add(0.03, "Pensión no contributiva")
		add(0.01, "Asignación por hijo con discapacidad")
		if c.Sex == "F" && age <= 40 {
			add(0.03, "Asignación por embarazo")
		}
	}
	bs := make([]registry.Benefit, 0, len(out))
	for _, name := range out {
		since := c.BirthDate.AddDate(min(age, 18+g.rng.IntN(max(age-17, 1))), 0, 0)
		bs = append(bs, registry.Benefit{Name: name, Since: since.Format("2006-01")})
	}
	return bs
}

// employerNames are 3,000 invented companies.
func employerNames() []string {
	first := []string{"Panificadora", "Metalúrgica", "Transportes", "Supermercados", "Textil", "Frigorífico", "Logística", "Constructora", "Distribuidora", "Clínica", "Farmacia", "Agropecuaria", "Seguridad", "Laboratorio", "Imprenta", "Editorial", "Consultora", "Molinos", "Lácteos", "Bodega", "Cooperativa", "Servicios", "Autopartes", "Petroquímica", "Hotel", "Escuela", "Estudio", "Comercial", "Industrias", "Talleres"}
	second := []string{"del Sur", "del Norte", "Pampeana", "Cuyana", "del Litoral", "Patagónica", "San Martín", "Belgrano", "Rivadavia", "Sarmiento", "La Esperanza", "El Progreso", "Los Andes", "del Plata", "Mitre", "Alvear", "La Unión", "Santa Rosa", "San José", "del Centro", "Mediterránea", "Andina", "Atlántica", "Los Álamos", "El Ombú", "La Estrella", "San Jorge", "Güemes", "Moreno", "Las Heras", "del Valle", "Del Parque", "La Costa", "Tres Arroyos", "El Molino", "Las Flores", "Santa Clara", "del Oeste", "Quilmes", "Avellaneda", "Lanús", "Bernal", "Tandil", "Olavarría", "Junín", "Rafaela", "Pergamino", "Río Cuarto", "Villa María", "San Nicolás"}
	suffix := []string{"SA", "SRL"}
	out := make([]string, 0, len(first)*len(second)*len(suffix))
	for _, s := range suffix {
		for _, b := range second {
			for _, a := range first {
				out = append(out, a+" "+b+" "+s)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2)) // ranks not in alphabetical order
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// weighted draws names with the given weights.
type weighted struct {
	names []string
	cum   []float64
}

func newWeighted(names []string, weights []float64) *weighted {
	w := &weighted{names: names, cum: make([]float64, len(weights))}
	total := 0.0
	for i, x := range weights {
		total += x
		w.cum[i] = total
	}
	return w
}

func (w *weighted) draw(rng *rand.Rand) string {
	r := rng.Float64() * w.cum[len(w.cum)-1]
	i, _ := slices.BinarySearch(w.cum, r)
	return w.names[min(i, len(w.names)-1)]
}

type zipf = weighted

// newZipf weighs the k-th name 1/k^s.
func newZipf(names []string, s float64) *zipf {
	weights := make([]float64, len(names))
	for i := range weights {
		weights[i] = 1 / math.Pow(float64(i+1), s)
	}
	return newWeighted(names, weights)
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// WriteFile writes cs as a citizens file (CONTRACT §2), one JSON line each.
func WriteFile(w io.Writer, cs []*registry.Citizen) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, c := range cs {
		line := fileLine{
			CUIL: string(c.CUIL), DNI: c.DNI, FirstNames: c.FirstNames, LastNames: c.LastNames,
			BirthDate: c.BirthDate.Format(time.DateOnly), Sex: c.Sex,
			DNIIssueDate: c.DNIIssueDate.Format(time.DateOnly), BirthProvince: c.BirthProvince,
			Employers: c.Employers, Benefits: c.Benefits,
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

type fileLine struct {
	CUIL          string              `json:"cuil"`
	DNI           string              `json:"dni"`
	FirstNames    string              `json:"first_names"`
	LastNames     string              `json:"last_names"`
	BirthDate     string              `json:"birth_date"`
	Sex           string              `json:"sex"`
	DNIIssueDate  string              `json:"dni_issue_date"`
	BirthProvince string              `json:"birth_province"`
	Employers     []registry.Employer `json:"employers,omitempty"`
	Benefits      []registry.Benefit  `json:"benefits,omitempty"`
}
