package registry

import "fmt"

// birthDateForms lists the ways people write their birth date inside a key:
// the year alone, day-month-year in both orders with 2- or 4-digit years,
// with or without separators and leading zeros, and "14marzo".
func birthDateForms(c *Citizen) []string {
	if c.BirthDate.IsZero() {
		return nil
	}
	y, m, d := c.BirthDate.Date()
	yyyy, yy := fmt.Sprintf("%04d", y), fmt.Sprintf("%02d", y%100)
	dd, mm := fmt.Sprintf("%02d", d), fmt.Sprintf("%02d", int(m))
	ds, ms := fmt.Sprint(d), fmt.Sprint(int(m))
	forms := []string{yyyy}
	for _, year := range []string{yyyy, yy} {
		forms = append(forms,
			dd+mm+year, ds+ms+year, ds+mm+year, dd+ms+year, // day first
			mm+dd+year, ms+ds+year, // month first (US style)
			year+mm+dd, // ISO
		)
	}
	for name, num := range months {
		if num == m && len(name) > 3 { // full names only: "14mar" is too loose
			forms = append(forms, dd+name, ds+name, name+yy)
		}
	}
	return forms
}
