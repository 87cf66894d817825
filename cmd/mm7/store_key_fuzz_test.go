package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzKey builds a key from fuzz input: mask bit 0 picks the scheme (a
// TransactionID, or a report's three parts), bits 1-3 which parts are
// present.
func fuzzKey(mask uint8, a, b, c string) storeKey {
	if mask&1 == 0 {
		return storeKey{scheme: "tx", parts: []keyPart{{a, mask&2 != 0}}}
	}
	return storeKey{scheme: "report", parts: []keyPart{{a, mask&2 != 0}, {b, mask&4 != 0}, {c, mask&8 != 0}}}
}

// FuzzStoreKey checks that directory names are injective (different keys,
// different directories; a variant never takes another key's directory)
// and always a single, visible, bounded file name.
func FuzzStoreKey(f *testing.F) {
	f.Add(uint8(3), "a/b", "", "", uint8(3), "a_b-"+hex.EncodeToString(sha256.New().Sum(nil))[:12], "", "")
	f.Add(uint8(15), "m_x", "y@e.com", "Retrieved", uint8(15), "m", "x_y@e.com", "Retrieved")
	f.Add(uint8(11), "mid", "", "Retrieved", uint8(15), "mid", "", "Retrieved")
	f.Add(uint8(3), "mo-tx-1", "", "", uint8(15), "mo-tx-1", "", "")
	f.Add(uint8(3), strings.Repeat("z", 200), "", "", uint8(3), strings.Repeat("z", 201), "", "")
	f.Add(uint8(3), "..", "", "", uint8(3), "~", "", "")
	f.Fuzz(func(t *testing.T, m1 uint8, a1, b1, c1 string, m2 uint8, a2, b2, c2 string) {
		k1, k2 := fuzzKey(m1, a1, b1, c1), fuzzKey(m2, a2, b2, c2)
		n1, n2 := k1.dirName(), k2.dirName()
		same := bytes.Equal(k1.canonical(), k2.canonical())
		if same != (n1 == n2) {
			t.Fatalf("keys %q and %q: names %q and %q", k1.canonical(), k2.canonical(), n1, n2)
		}
		for _, n := range []string{n1, n2} {
			if n == "" || n != filepath.Base(n) || strings.HasPrefix(n, ".") || len(n) > 48+1+64 {
				t.Fatalf("bad name %q", n)
			}
			if strings.ContainsAny(n, "/\\\x00") {
				t.Fatalf("bad name %q", n)
			}
		}
		h := sha256.Sum256([]byte(a1 + b2))
		v1 := variantName(n1, hex.EncodeToString(h[:]))
		if v1 == n2 || len(v1) > 255 {
			t.Fatalf("variant %q of %q is the name of %q", v1, n1, k2.canonical())
		}
	})
}
