package loadtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/clavebot/clavebot/registry"
)

// Citizen is a generated person: what goes into the citizens file, and
// what the person knows to answer the bot.
type Citizen struct {
	CUIL          registry.CUIL
	DNI           string
	FirstNames    string
	LastNames     string
	Sex           string // F or M, as on the DNI and in the CUIL's prefix
	BirthDate     time.Time
	DNIIssueDate  time.Time
	BirthProvince string
	Tramite       string
	Employers     []string
	Benefits      []string
}

// Truths are the answers to the identity questions, as the bot shows
// options: dates DD/MM/AAAA, names as stored.
func (c *Citizen) Truths() map[string]bool {
	t := map[string]bool{c.DNIIssueDate.Format("02/01/2006"): true, c.BirthProvince: true}
	for _, e := range c.Employers {
		t[e] = true
	}
	for _, b := range c.Benefits {
		t[b] = true
	}
	return t
}

var (
	// Names that are also words (Graciela, Consuelo, Luz, Paz, Amparo,
	// Cruz, Bueno) are among them: people are called that, and the bot must
	// take them as names where names are asked.
	femaleNames = []string{"María Belén", "Lucía", "Florencia", "Rosa María", "Sofía", "Camila", "Valentina",
		"Agustina", "Micaela", "Carolina", "Paula Andrea", "Milagros", "Graciela", "Consuelo", "Luz", "María de la Paz",
		"Amparo"}
	maleNames = []string{"Juan Carlos", "Ramón", "Martín Ezequiel", "Néstor", "Diego Armando", "José Luis", "Héctor",
		"Raúl Alberto", "Sebastián", "Nicolás", "Federico", "Ignacio", "Juan de la Cruz", "Santos"}
	lastNames = []string{"Gómez", "Fernández", "Rodríguez", "González", "López", "Martínez", "Pérez", "García",
		"Sánchez", "Romero", "Sosa", "Álvarez", "Torres", "Ruiz Díaz", "Ramírez", "Flores", "Benítez", "Acosta",
		"Medina", "Herrera", "Quiroga Sánchez", "Ibáñez", "Giménez", "Castro", "Bueno", "Paz"}
	employerNames = []string{"Supermercados del Interior SA", "Metalúrgica San Justo SA", "Logística Pampa SRL",
		"Clínica Privada Vélez Sarsfield SRL", "Cooperativa de Trabajo La Costanera Ltda.", "Ingenio Concepción SA",
		"Transportes Norte Grande SRL", "Panificadora del Centro SRL", "Textil Andina SA", "Frigorífico Río Cuarto SA",
		"Constructora del Litoral SRL", "Bodegas del Valle SA", "Municipalidad de Rosario", "Hospital Italiano",
		"Estación de Servicio El Cruce SRL", "Agropecuaria Los Álamos SA", "Farmacia Central SCS", "Correo Argentino"}
	benefitNames = []string{"Asignación Universal por Hijo", "Jubilación ordinaria", "Becas Progresar",
		"Pensión no contributiva", "Asignación por Embarazo", "Prestación por Desempleo", "Asignación Familiar por Hijo"}
)

// Generate makes n citizens from seed, all with distinct CUILs. Different
// seeds give (almost surely) different CUILs, so each run brings people
// the registry has never seen.
func Generate(n int, seed uint64) []*Citizen {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	base := 10_000_000 + rng.IntN(80_000_000-2*n)
	out := make([]*Citizen, 0, n)
	for dni := base; len(out) < n; dni++ {
		if c := newCitizen(dni, rng); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// newCitizen makes the person with DNI dni, or nil when no CUIL with the
// usual prefixes has a valid check digit for it.
func newCitizen(dni int, rng *rand.Rand) *Citizen {
	// 27 is a woman's CUIL prefix, 20 a man's.
	sex, prefix, names := "F", "27", femaleNames
	if rng.IntN(2) == 0 {
		sex, prefix, names = "M", "20", maleNames
	}
	digits := fmt.Sprintf("%s%08d", prefix, dni)
	check := registry.CheckDigit(digits)
	if check < 0 {
		return nil
	}
	birth := time.Date(1950+rng.IntN(55), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
	c := &Citizen{
		CUIL:          registry.CUIL(fmt.Sprintf("%s%d", digits, check)),
		DNI:           fmt.Sprintf("%08d", dni),
		FirstNames:    pick(names, rng),
		LastNames:     pick(lastNames, rng),
		Sex:           sex,
		BirthDate:     birth,
		DNIIssueDate:  time.Date(2012+rng.IntN(12), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC),
		BirthProvince: pick(registry.Provinces[:], rng),
		Employers:     sample(employerNames, rng.IntN(4), rng),
		Benefits:      sample(benefitNames, rng.IntN(3), rng),
	}
	if rng.IntN(4) == 0 {
		c.Tramite = fmt.Sprintf("%011d", rng.Int64N(1e11))
	}
	return c
}

func pick(list []string, rng *rand.Rand) string { return list[rng.IntN(len(list))] }

func sample(list []string, n int, rng *rand.Rand) []string {
	idx := rng.Perm(len(list))[:n]
	out := make([]string, n)
	for i, j := range idx {
		out[i] = list[j]
	}
	return out
}

// fileLine is a line of the citizens file (CONTRACT §2).
type fileLine struct {
	CUIL          string         `json:"cuil"`
	DNI           string         `json:"dni"`
	FirstNames    string         `json:"first_names"`
	LastNames     string         `json:"last_names"`
	Sex           string         `json:"sex"`
	BirthDate     string         `json:"birth_date"`
	DNIIssueDate  string         `json:"dni_issue_date"`
	BirthProvince string         `json:"birth_province"`
	DNITramite    string         `json:"dni_tramite,omitempty"`
	Employers     []fileEmployer `json:"employers,omitempty"`
	Benefits      []fileBenefit  `json:"benefits,omitempty"`
}

type fileEmployer struct {
	Name string `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
}

type fileBenefit struct {
	Name  string `json:"name"`
	Since string `json:"since"`
}

// CitizensFile renders cs as the citizens file `clavebot registry import`
// reads.
func CitizensFile(cs []*Citizen) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, c := range cs {
		l := fileLine{
			CUIL: c.CUIL.String(), DNI: c.DNI, FirstNames: c.FirstNames, LastNames: c.LastNames, Sex: c.Sex,
			BirthDate: c.BirthDate.Format(time.DateOnly), DNIIssueDate: c.DNIIssueDate.Format(time.DateOnly),
			BirthProvince: c.BirthProvince, DNITramite: c.Tramite,
		}
		for i, e := range c.Employers {
			// Jobs end by 2024 whatever the age: a work history is past.
			from := min(c.BirthDate.Year()+18+3*i, 2020)
			l.Employers = append(l.Employers, fileEmployer{Name: e, From: fmt.Sprintf("%04d-03", from), To: fmt.Sprintf("%04d-11", from+2)})
		}
		for i, b := range c.Benefits {
			l.Benefits = append(l.Benefits, fileBenefit{Name: b, Since: fmt.Sprintf("%04d-06", 2010+i)})
		}
		_ = enc.Encode(l) // a struct of strings always encodes
	}
	return buf.Bytes()
}
