// Package dialog is clavebot's conversation engine: one state machine per
// chat, its state in a StateStore, its answers as i18n message keys. It
// knows no channel and no storage driver.
//
// types.go names the values it exchanges with channels, the desk and
// recorders (declared in the leaf dialog/convo); ports.go declares the
// interfaces it consumes, implemented elsewhere, and the do-nothing ones
// New starts with. engine.go runs a turn; the steps and flows are tables
// (steps.go, flows.go), each flow's behaviour in a file of its own.
package dialog
