package registry

// HashCapacity is how many callers a Hasher made with concurrency takes at
// once, hashing or waiting; more are refused. The edge admits no more key
// steps than this at once, so a key step is turned away before it reads
// the chat or the registry rather than after.
func HashCapacity(concurrency int) int {
	n := max(concurrency, 1)
	return n * (1 + hashQueue)
}
