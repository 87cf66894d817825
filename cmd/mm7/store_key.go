package main

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// A storeKey says which messages are the same message sent again: the
// TransactionID of a DeliverReq (scheme "tx"); the MessageID, recipient
// and status of a delivery report or read reply (scheme "report": several
// reports per message are normal, Forwarded then Retrieved), or its
// TransactionID when it has no MessageID. A part may be absent (a report
// without a Recipient), which is not the same as empty.
//
// Two messages with one key are one message only when their content is
// the same too (see contentDigest); the key names the directory.
type storeKey struct {
	scheme string
	parts  []keyPart
}

type keyPart struct {
	value   string
	present bool
}

func txKey(tx string) storeKey { return storeKey{scheme: "tx", parts: []keyPart{{tx, true}}} }

// maxPlainName is the longest directory name used as is.
const maxPlainName = 100

// dirName returns the directory name of a key, the same for equal keys
// and different for different keys:
//
//   - "plain": when every part is present, not empty, at most 100 bytes
//     in all, made of letters, digits and .+@=- only and does not start
//     with a dot, the parts joined with "_" (e.g. "mo-tx-1",
//     "msg-77_15555550123_Retrieved"). Plain parts hold no "_", so the
//     join is reversible.
//   - "hashed": otherwise, a readable prefix (the parts made safe, cut to
//     48 bytes) then "~" and the 64 hex digits of the SHA-256 of the
//     key's canonical form. Plain names hold no "~", hashed ones one.
//
// A message with the key of a stored message but other content goes to
// variantName.
func (k storeKey) dirName() string {
	plain := true
	vals := make([]string, len(k.parts))
	for i, p := range k.parts {
		vals[i] = p.value
		if !p.present || !plainPart(p.value) {
			plain = false
		}
	}
	if name := strings.Join(vals, "_"); plain && len(name) <= maxPlainName {
		return name
	}
	var b strings.Builder
	for i, p := range k.parts {
		if i > 0 {
			b.WriteByte('_')
		}
		if !p.present {
			b.WriteByte('-')
			continue
		}
		for _, r := range p.value {
			if b.Len() >= 48 {
				break
			}
			if isSafeRune(r) {
				b.WriteRune(r)
			} else {
				b.WriteByte('_')
			}
		}
	}
	prefix := strings.TrimLeft(b.String(), ".")
	if len(prefix) > 48 {
		prefix = prefix[:48]
	}
	if prefix == "" {
		prefix = "id"
	}
	sum := sha256.Sum256(k.canonical())
	return prefix + "~" + hex.EncodeToString(sum[:])
}

// variantName names the directory of a message whose key is that of
// another stored message but whose content is not: the key's name, "~c"
// and the content digest. Neither plain nor hashed names end so: a
// hashed name ends in "~" and 64 hex digits, a variant in "~c" and 64.
func variantName(base, content string) string { return base + "~c" + content }

// canonical is the key as bytes, one way only: the scheme and every part
// length-prefixed, an absent part marked as such.
func (k storeKey) canonical() []byte {
	b := []byte("mm7go-key-1\n")
	b = strconv.AppendInt(b, int64(len(k.scheme)), 10)
	b = append(b, ':')
	b = append(b, k.scheme...)
	for _, p := range k.parts {
		if !p.present {
			b = append(b, 'A')
			continue
		}
		b = append(b, 'P')
		b = strconv.AppendInt(b, int64(len(p.value)), 10)
		b = append(b, ':')
		b = append(b, p.value...)
	}
	return b
}

// plainPart reports whether a key part can appear in a plain name.
func plainPart(s string) bool {
	if s == "" || s[0] == '.' {
		return false
	}
	for _, r := range s {
		if !isSafeRune(r) {
			return false
		}
	}
	return true
}

// isSafeRune reports whether r may appear in a plain directory name: not
// "_" (the separator), not "~" (the hash marker).
func isSafeRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".+@=-", r)
}
