package mm7

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/netip"
)

// VibesCallbackNetworks lists the source addresses Vibes sends MO
// (DeliverReq) and delivery-receipt (DeliveryReportReq) callbacks from,
// as Vibes publishes them, each a /32: eight US addresses, then six EU
// ones. Use it as [Handler.AllowedNetworks] on an endpoint only Vibes
// calls; check it against Vibes' current documentation, as such lists
// change.
var VibesCallbackNetworks = []netip.Prefix{
	// US
	netip.MustParsePrefix("35.155.139.143/32"),
	netip.MustParsePrefix("52.32.61.199/32"),
	netip.MustParsePrefix("35.161.244.84/32"),
	netip.MustParsePrefix("18.205.120.48/32"),
	netip.MustParsePrefix("52.22.43.57/32"),
	netip.MustParsePrefix("18.232.9.131/32"),
	netip.MustParsePrefix("54.245.204.57/32"),
	netip.MustParsePrefix("54.148.156.236/32"),
	// EU
	netip.MustParsePrefix("34.243.232.57/32"),
	netip.MustParsePrefix("52.48.241.82/32"),
	netip.MustParsePrefix("34.249.188.130/32"),
	netip.MustParsePrefix("54.247.36.51/32"),
	netip.MustParsePrefix("34.253.250.65/32"),
	netip.MustParsePrefix("54.217.181.160/32"),
}

// CheckBasicAuth reports whether r carries HTTP Basic credentials equal
// to user and password; [Handler] uses it, and so can other endpoints
// that share its credentials (the simulator's admin API). Both comparisons always run, in constant time, on
// SHA-256 digests: neither the position of the first wrong byte nor the
// length of the expected values shows in the timing, and which of the two
// was wrong does not either.
func CheckBasicAuth(r *http.Request, user string, password Secret) bool {
	gotUser, gotPass, ok := r.BasicAuth()
	gu, gp := sha256.Sum256([]byte(gotUser)), sha256.Sum256([]byte(gotPass))
	wu, wp := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(password))
	same := subtle.ConstantTimeCompare(gu[:], wu[:]) & subtle.ConstantTimeCompare(gp[:], wp[:])
	return ok && same == 1
}

// parseRemoteAddr parses http.Request.RemoteAddr, "IP:port" or a bare IP (as
// some middleware leaves it), with IPv4-mapped IPv6 addresses unmapped
// and any IPv6 zone dropped (a zoned address is in no prefix).
func parseRemoteAddr(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone(""), true
	}
	return netip.Addr{}, false
}

// allowedAddr reports whether addr is in one of nets.
func allowedAddr(addr netip.Addr, nets []netip.Prefix) bool {
	for _, p := range nets {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
