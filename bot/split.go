package bot

import "strings"

// Splitter is a channel whose messages have a length limit (Telegram:
// 4,096 characters). It cuts a longer one into parts, the options on the
// last, so that each part is sent, kept by the outbox and retried as a
// message of its own: a long message cut by the channel at send time and
// failing at a later part was tried again whole, and the person read the
// parts that had gone out twice (a channels probe).
type Splitter interface {
	Split(m Message) []Message
}

// splitAll cuts msgs into the parts ch sends, when ch has a limit.
func splitAll(ch Channel, msgs []Message) []Message {
	s, ok := ch.(Splitter)
	if !ok {
		return msgs
	}
	out := make([]Message, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, s.Split(m)...)
	}
	return out
}

// Split cuts msgs for chat's channel when it is registered here, ready or
// not (see Splitter); the outbox keeps the parts. A channel not run here
// cuts a long message itself when it sends it.
func (l *Local) Split(chat string, msgs []Message) []Message {
	name, _, ok := strings.Cut(chat, ":")
	if !ok {
		return msgs
	}
	l.mu.RLock()
	ch, found := l.channels[name]
	l.mu.RUnlock()
	if !found {
		return msgs
	}
	return splitAll(ch, msgs)
}

// SplitMessage makes m's parts, texts cut by a Splitter, into messages:
// the options, the question and what the bot expects go with the last.
func SplitMessage(m Message, texts []string) []Message {
	if len(texts) < 2 {
		return []Message{m}
	}
	out := make([]Message, len(texts))
	for i, t := range texts {
		out[i] = Message{Text: t, Expect: m.Expect}
	}
	out[len(out)-1].Options, out[len(out)-1].Question = m.Options, m.Question
	return out
}
