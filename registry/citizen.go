// Package registry is the system of record of clavebot: citizens, their keys,
// the key policy, lockouts and the audit trail. It holds the domain types and
// rules; storage lives in registry/sqlstore.
package registry

import "time"

// Citizen is one person's record, as ANSES knows it.
type Citizen struct {
	CUIL          CUIL       `json:"cuil"`
	DNI           string     `json:"dni"` // digits only
	FirstNames    string     `json:"first_names"`
	LastNames     string     `json:"last_names"`
	BirthDate     time.Time  `json:"birth_date"`
	Sex           string     `json:"sex,omitempty"`
	DNIIssueDate  time.Time  `json:"dni_issue_date"`
	BirthProvince string     `json:"birth_province"`
	SocialName    string     `json:"social_name,omitempty"`
	DNITramite    string     `json:"dni_tramite,omitempty"`
	Employers     []Employer `json:"employers,omitempty"`
	Benefits      []Benefit  `json:"benefits,omitempty"`
	// Contacts is what a citizens-file line says of the person's contact
	// data: one entry for each kind the line names (an empty Value clears
	// it); a kind left out keeps what is stored. Records read back from a
	// Store leave it empty: contacts are read apart (Store.Contacts), by
	// the few steps that need them.
	Contacts []ContactUpdate `json:"-"`
}

// Employer is one job in the person's work history.
type Employer struct {
	Name string `json:"name"`
	CUIT string `json:"cuit"`
	From string `json:"from"` // YYYY-MM
	To   string `json:"to"`   // YYYY-MM, or "" for a current job
}

// Benefit is one benefit the person receives or received.
type Benefit struct {
	Name  string `json:"name"`
	Since string `json:"since"` // YYYY-MM
}

// Provinces are the 24 jurisdictions of Argentina, by their usual names.
var Provinces = [...]string{
	"Ciudad Autónoma de Buenos Aires", "Buenos Aires", "Catamarca", "Chaco",
	"Chubut", "Córdoba", "Corrientes", "Entre Ríos", "Formosa", "Jujuy",
	"La Pampa", "La Rioja", "Mendoza", "Misiones", "Neuquén", "Río Negro",
	"Salta", "San Juan", "San Luis", "Santa Cruz", "Santa Fe",
	"Santiago del Estero", "Tierra del Fuego", "Tucumán",
}
