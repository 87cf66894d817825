package mm7

import (
	"fmt"
	"strings"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
)

// nsBase is the common prefix of every published MM7 namespace.
const nsBase = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/"

// A Version is an MM7 schema version as spoken on the wire: the schema
// (and so the namespace and the generated package its messages use) and
// the MM7Version value written into messages. The zero Version is not
// valid; use [Rel5] or [Rel6], optionally with [Version.WithMM7Version].
type Version struct {
	// Schema is the schema name, e.g. "REL-6-MM7-1-4".
	Schema string
	// Namespace is the schema's target namespace.
	Namespace string
	// MM7Version is the value written into the MM7Version element of
	// encoded messages whose MM7Version is empty.
	MM7Version string
	// Release is 5 or 6: the generated package (generated/rel5 or
	// generated/rel6) that holds this version's messages.
	Release int
}

var (
	// Rel5 is REL-5-MM7-1-2, the schema Vibes calls "MM7 5.5.0". Its
	// MM7Version enumeration allows only 5.3.0, which is what Vibes expects
	// on the wire. Messages are the types of package generated/rel5.
	Rel5 = Version{Schema: "REL-5-MM7-1-2", Namespace: rel5.Namespace, MM7Version: "5.3.0", Release: 5}
	// Rel6 is REL-6-MM7-1-4, the schema Vibes calls "MM7 6.8.0", written
	// with MM7Version 6.8.0. Messages are the types of package
	// generated/rel6.
	Rel6 = Version{Schema: "REL-6-MM7-1-4", Namespace: rel6.Namespace, MM7Version: "6.8.0", Release: 6}
)

// Versions lists the versions mm7 encodes, newest first.
var Versions = []Version{Rel6, Rel5}

// WithMM7Version returns v writing s as MM7Version, for peers that expect
// another value than the schema's default (s is not checked against the
// schema's enumeration: a validating peer may reject it).
func (v Version) WithMM7Version(s string) Version {
	v.MM7Version = s
	return v
}

// String returns the schema name and MM7Version, e.g. "REL-6-MM7-1-4 (6.8.0)".
func (v Version) String() string {
	if v.Schema == "" {
		return "unknown MM7 version"
	}
	return fmt.Sprintf("%s (%s)", v.Schema, v.MM7Version)
}

// valid reports whether v is one mm7 can encode: a published MM7
// namespace written with the generated types of its release.
func (v Version) valid() bool {
	nv, _, ok := VersionForNamespace(v.Namespace)
	return ok && nv.Release == v.Release && strings.TrimRight(v.Namespace, "/") == v.Namespace
}

// packageNamespace returns the namespace of the generated package v's
// messages are written with.
func (v Version) packageNamespace() string {
	if v.Release == 5 {
		return rel5.Namespace
	}
	return rel6.Namespace
}

// ParseVersion accepts the names users meet in MMSC documentation: the
// Vibes labels "5.5.0" and "6.8.0", the schema names "REL-5-MM7-1-2" and
// "REL-6-MM7-1-4", "rel5" and "rel6", and a full namespace.
func ParseVersion(s string) (Version, error) {
	switch t := strings.TrimSpace(s); strings.ToLower(t) {
	case "5.5.0", "5.3.0", "rel5", "rel-5-mm7-1-2", strings.ToLower(rel5.Namespace):
		return Rel5, nil
	case "6.8.0", "rel6", "rel-6-mm7-1-4", strings.ToLower(rel6.Namespace):
		return Rel6, nil
	}
	return Version{}, fmt.Errorf("mm7: unknown MM7 version %q (want 5.5.0, 6.8.0, REL-5-MM7-1-2 or REL-6-MM7-1-4)", s)
}

// published lists every MM7 schema namespace 3GPP published, with the
// version mm7 decodes it through: the nearest generated one.
var published = map[string]Version{}

func init() {
	for _, s := range []string{"REL-5-MM7-1-0", "REL-5-MM7-1-1", "REL-5-MM7-1-2", "REL-5-MM7-1-3", "REL-5-MM7-1-4", "REL-5-MM7-1-5"} {
		published[nsBase+s] = Rel5
	}
	for _, s := range []string{"REL-6-MM7-1-0", "REL-6-MM7-1-1", "REL-6-MM7-1-2", "REL-6-MM7-1-3", "REL-6-MM7-1-4"} {
		published[nsBase+s] = Rel6
	}
}

// VersionForNamespace returns the version a message in namespace ns is
// decoded with, and whether ns is that version's own namespace (exact).
// Messages in other published MM7 namespaces (REL-5-MM7-1-0 to 1-5,
// REL-6-MM7-1-0 to 1-3) decode through the nearest generated version of
// the same release. ok is false for any other namespace.
func VersionForNamespace(ns string) (v Version, exact, ok bool) {
	ns = strings.TrimRight(strings.TrimSpace(ns), "/")
	v, ok = published[ns]
	return v, ok && v.Namespace == ns, ok
}

// versionForMM7Version guesses the release from an MM7Version value, for
// bodies whose namespace is missing or unknown.
func versionForMM7Version(s string) (Version, bool) {
	switch {
	case strings.HasPrefix(strings.TrimSpace(s), "6."):
		return Rel6, true
	case strings.HasPrefix(strings.TrimSpace(s), "5."):
		return Rel5, true
	}
	return Version{}, false
}

// isMM7Namespace reports whether ns is a published MM7 namespace.
func isMM7Namespace(ns string) bool {
	_, _, ok := VersionForNamespace(ns)
	return ok
}

// newMessage returns a new zero value of the generated struct for the
// element local in version v's package, or nil.
func newMessage(v Version, local string) Body {
	var m Body
	if v.Release == 5 {
		m = rel5.New(local)
	} else {
		m = rel6.New(local)
	}
	if isNilBody(m) {
		return nil // no such element: a nil interface, not a nil rel5.Message in one
	}
	return m
}
