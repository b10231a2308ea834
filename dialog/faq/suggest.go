package faq

import "github.com/clavebot/clavebot/dialog"

// Suggest returns up to n in-scope topics worth offering as "¿Quisiste
// decir…?" when the top guess is not sure enough to answer: intents
// scoring at least SuggestThreshold, best first, leaving out None,
// greetings and goodbyes (nobody picks those from a list).
func Suggest(gs []dialog.Guess, n int) []string {
	var out []string
	for _, g := range gs {
		if len(out) == n {
			break
		}
		if g.Score >= SuggestThreshold && !chitchat(g.Intent) {
			out = append(out, g.Intent)
		}
	}
	return out
}

func chitchat(intent string) bool {
	return intent == None || intent == "greeting" || intent == "thanks_bye"
}
