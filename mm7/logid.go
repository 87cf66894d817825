package mm7

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strconv"
	"unicode/utf8"
)

// logIDMax is the longest identifier logged in full.
const logIDMax = 64

// logID is a log attribute for an identifier from the peer: in full up
// to logIDMax bytes, else a prefix, the length and a hash, so that a
// hostile 1 MB TransactionID costs the log a hundred bytes and two log
// lines about it can still be matched.
func logID(key, s string) slog.Attr { return slog.String(key, boundID(s)) }

func boundID(s string) string {
	if len(s) <= logIDMax {
		return s
	}
	i := logIDMax / 2
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	h := sha256.Sum256([]byte(s))
	return s[:i] + "...(" + strconv.Itoa(len(s)) + " bytes, sha256 " + hex.EncodeToString(h[:6]) + ")"
}
