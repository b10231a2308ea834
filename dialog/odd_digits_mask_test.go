package dialog_test

import "testing"

// María's DNI and birth date, typed at the menu and to the desk with
// characters the masks did not read as a datum's: underscores or middle
// dots between the groups, a zero-width space (invisible on the agent's
// page), digits of another script (Arabic-Indic, with its own
// separators, a "fancy text" site's bold ones), keycap emoji, the year as
// '85. The stored transcript, the desk's and what
// is relayed to an agent held them in clear (an attack probe).
func TestDataTypedWithOddCharactersIsMasked(t *testing.T) {
	typed := []string{
		"nací el 14_03_1985",
		"mi dni es 31_456_789",
		"31·456·789",
		"nací el 14 de marzo '85",
		"dni ٣١٤٥٦٧٨٩",
		"dni 𝟑𝟏𝟒𝟓𝟔𝟕𝟖𝟗",
		"dni 31\u200b456\u200b789",
		"14\u200b03\u200b1985",
		"٣١٫٤٥٦٫٧٨٩",
		"3️⃣1️⃣4️⃣5️⃣6️⃣7️⃣8️⃣9️⃣",
	}
	checkNoneInClear(t, typedWhereAgentsRead(t, typed), []string{"31456", "1403", "1985", "85"})
}
