-- What a key was confirmed as when it was stored: the nonce of the seal
-- the chat kept between its two entries (registry/keyseal.go), "" when
-- none. A chat that stored its key and then failed (its state not saved)
-- learns from it, at its next message, that its key is the one stored.
ALTER TABLE keys ADD COLUMN origin TEXT NOT NULL DEFAULT '';
