package main

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strconv"
	"unicode/utf8"
)

// logValueMax is the longest peer value logged in full.
const logValueMax = 64

// logValue is a log attribute for a value from the peer (an id, an
// address): in full up to logValueMax bytes, else a prefix, the length
// and a hash, so that a hostile value costs the log a hundred bytes.
func logValue(key, s string) slog.Attr {
	if len(s) <= logValueMax {
		return slog.String(key, s)
	}
	i := logValueMax / 2
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	h := sha256.Sum256([]byte(s))
	return slog.String(key, s[:i]+"...("+strconv.Itoa(len(s))+" bytes, sha256 "+hex.EncodeToString(h[:6])+")")
}
