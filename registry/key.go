package registry

import "fmt"

// KeyRule names a rule of the key policy, so a reply can say which one a
// weak key breaks.
type KeyRule string

// The key rules of CONTRACT §5.
const (
	RuleLength    KeyRule = "length"     // 8 to 15 characters
	RuleLetter    KeyRule = "letter"     // at least one letter
	RuleDigit     KeyRule = "digit"      // at least one digit
	RuleDNI       KeyRule = "dni"        // contains the DNI
	RuleCUIL      KeyRule = "cuil"       // contains the CUIL
	RuleBirthDate KeyRule = "birth_date" // contains the birth date in a usual format
	RuleName      KeyRule = "name"       // contains a first or last name of 3+ letters
	RuleCommon    KeyRule = "common"     // a common password
	RuleCurrent   KeyRule = "current"    // the same as the current key
)

// KeyRuleError says which rule a proposed key breaks. It is Invalid.
type KeyRuleError struct{ Rule KeyRule }

func (e *KeyRuleError) Error() string { return fmt.Sprintf("key breaks rule %q", e.Rule) }

// CheckKey checks key against the policy and c's personal data. It does not
// check RuleCurrent, which needs the stored hash: see Service.CheckNewKey.
// It returns a *KeyRuleError (wrapped as Invalid) naming the first rule
// broken, in the order the constants are declared.
func (p Policy) CheckKey(key string, c *Citizen) error {
	panic("TODO")
}
