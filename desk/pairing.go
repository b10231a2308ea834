package desk

// Pairing is what an agent needs to link the WhatsApp device: the QR code
// to scan, or the code to type on the phone. Both are empty once linked.
// The replica that holds the device publishes them; any replica's desk
// shows them.
type Pairing struct {
	QR   string `json:"-"`
	Code string `json:"code,omitempty"`
}
