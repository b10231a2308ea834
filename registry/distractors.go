package registry

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// dateOffsets are the month shifts wrong dates are made with: one to three
// months, one to three years, and a few in between.
var dateOffsets = []int{1, 2, 3, 5, 7, 10, 12, 13, 14, 15, 18, 24, 25, 26, 30, 36, 37, 38}

// dateDistractors returns want dates near the issue date, none equal to it,
// after today or before birth. The true date's rank among the options is
// drawn at random, so it is not given away by being the latest (as it
// would be for a DNI issued last month if wrong dates were only earlier).
func dateDistractors(c *Citizen, rng *rand.Rand, now time.Time, want int) []string {
	truth := c.DNIIssueDate
	seen := map[string]bool{FormatDate(truth): true}
	var earlier, later []string
	for _, off := range dateOffsets {
		for _, sign := range []int{-1, 1} {
			d := addMonths(truth, sign*off)
			s := FormatDate(d)
			if seen[s] || d.After(now) || (!c.BirthDate.IsZero() && d.Before(c.BirthDate)) {
				continue
			}
			seen[s] = true
			if sign < 0 {
				earlier = append(earlier, s)
			} else {
				later = append(later, s)
			}
		}
	}
	shuffleStrings(earlier, rng)
	shuffleStrings(later, rng)
	nLater := min(rng.IntN(want+1), len(later))
	nEarlier := min(want-nLater, len(earlier))
	nLater = min(want-nEarlier, len(later))
	return append(later[:nLater:nLater], earlier[:nEarlier]...)
}

// addMonths moves t by n months, keeping the day but clamping it to the
// month's last day (31 Jan + 1 month is 28 or 29 Feb, not 3 Mar).
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// provincePopulation weighs wrong provinces by how many people live there
// (2022 census, thousands), so the options look like a real list of
// birthplaces. The weights do not depend on the true province: choosing
// its neighbours instead would point at it as the one they surround.
var provincePopulation = map[string]int{
	"Ciudad Autónoma de Buenos Aires": 3121, "Buenos Aires": 17523, "Catamarca": 429,
	"Chaco": 1142, "Chubut": 603, "Córdoba": 3840, "Corrientes": 1212,
	"Entre Ríos": 1425, "Formosa": 607, "Jujuy": 811, "La Pampa": 361,
	"La Rioja": 384, "Mendoza": 2043, "Misiones": 1280, "Neuquén": 710,
	"Río Negro": 762, "Salta": 1441, "San Juan": 818, "San Luis": 540,
	"Santa Cruz": 333, "Santa Fe": 3556, "Santiago del Estero": 1060,
	"Tierra del Fuego": 185, "Tucumán": 1703,
}

// provinceDistractors draws want provinces other than truth, weighted by
// population, without repetition. The weights are flattened (square root)
// so small provinces still appear.
func provinceDistractors(truth string, rng *rand.Rand, want int) []string {
	candidates := make([]string, 0, len(Provinces))
	for _, p := range Provinces {
		if NormalizeName(p) != NormalizeName(truth) {
			candidates = append(candidates, p)
		}
	}
	out := make([]string, 0, want)
	for len(out) < want && len(candidates) > 0 {
		i := weightedIndex(candidates, rng)
		out = append(out, candidates[i])
		candidates = slices.Delete(candidates, i, i+1)
	}
	return out
}

func weightedIndex(names []string, rng *rand.Rand) int {
	weights := make([]int, len(names))
	total := 0
	for i, n := range names {
		weights[i] = isqrt(provincePopulation[n]) + 1
		total += weights[i]
	}
	r := rng.IntN(total)
	for i, w := range weights {
		if r < w {
			return i
		}
		r -= w
	}
	return len(names) - 1
}

func isqrt(n int) int {
	r := 0
	for (r+1)*(r+1) <= n {
		r++
	}
	return r
}

// sampleNames draws want distinct names from pool, then from fallback when
// the pool runs short, none equal (after NormalizeName) to the person's
// own. Both lists are sorted first, so the draw depends only on the rng.
func sampleNames(pool, fallback, own []string, want int, rng *rand.Rand) []string {
	exclude := map[string]bool{}
	for _, o := range own {
		exclude[NormalizeName(o)] = true
	}
	out := make([]string, 0, want)
	for _, src := range [][]string{pool, fallback} {
		names := uniqueNames(src, exclude)
		shuffleStrings(names, rng)
		for _, n := range names[:min(want-len(out), len(names))] {
			out = append(out, n)
			exclude[NormalizeName(n)] = true
		}
	}
	return out
}

// uniqueNames returns names sorted, without blanks, repeats (after
// NormalizeName) or excluded ones.
func uniqueNames(names []string, exclude map[string]bool) []string {
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	seen := map[string]bool{}
	out := sorted[:0]
	for _, n := range sorted {
		k := NormalizeName(n)
		if k == "" || seen[k] || exclude[k] {
			continue
		}
		seen[k] = true
		out = append(out, strings.TrimSpace(n))
	}
	return out
}

func shuffleStrings(s []string, rng *rand.Rand) {
	rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
}

// fallbackEmployers and fallbackBenefits pad the options when the registry
// is too small to lend enough names from other records.
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
