// Package convo holds the values the conversation engine (dialog)
// exchanges with what surrounds it: the messages channels hand it and the
// replies they render, the hand-over the help desk receives, and the
// events recorders count. It is a leaf: it imports only i18n and internal/phone, so a
// channel, the desk or a metrics sink can speak with the engine without
// depending on the engine or on the registry behind it. The engine keeps
// the old names (dialog.Inbound, dialog.Reply, ...) as aliases.
package convo
