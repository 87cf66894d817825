package mm7

import (
	"crypto/sha256"
	"crypto/subtle"
)

// Accounts maps usernames to passwords: the credentials of several peers
// (several VASP accounts of one MMSC, say) that one [Handler] serves.
// Use its Authenticate method as [Handler.Authenticate]:
//
//	h := &mm7.Handler{Authenticate: mm7.Accounts{"vibes-us": pw1, "vibes-eu": pw2}.Authenticate}
type Accounts map[string]Secret

// Authenticate reports whether user and password are those of one of the
// accounts. It compares the SHA-256 digests of the pair with those of
// every account, in constant time and without stopping at a match, so
// that the timing shows neither which account matched, nor whether the
// user or the password was wrong, nor how much of either was right. An
// empty password never matches.
func (a Accounts) Authenticate(user string, password Secret) bool {
	gu, gp := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(password))
	found := 0
	for u, p := range a {
		wu, wp := sha256.Sum256([]byte(u)), sha256.Sum256([]byte(p))
		same := subtle.ConstantTimeCompare(gu[:], wu[:]) & subtle.ConstantTimeCompare(gp[:], wp[:])
		found |= same & boolInt(p != "")
	}
	return found == 1
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
