package registry

// strictSubset reports whether every word of sub appears in set (as a
// multiset) and set has more words.
func strictSubset(sub, set []string) bool {
	return len(sub) > 0 && len(sub) < len(set) && containsAll(set, sub)
}

// sameWords reports whether a and b hold the same words, counted with
// multiplicity, in any order.
func sameWords(a, b []string) bool {
	return len(a) > 0 && len(a) == len(b) && containsAll(a, b)
}

// containsAll reports whether set holds every word of sub, each as many
// times as sub does.
func containsAll(set, sub []string) bool {
	count := make(map[string]int, len(set))
	for _, w := range set {
		count[w]++
	}
	for _, w := range sub {
		if count[w] == 0 {
			return false
		}
		count[w]--
	}
	return true
}

// EditDistance is the optimal-string-alignment distance between a and b:
// insertions, deletions, substitutions and swaps of adjacent letters
// ("Maira" for "Maria") each cost one.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
