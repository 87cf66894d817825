package mm7

import (
	"reflect"
	"slices"
	"strings"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/xsdtypes"
)

// Body is what a [Message] carries in its SOAP Body: a pointer to a
// generated message struct (*rel6.SubmitReq, *rel5.DeliveryReportRsp,
// ...) or a *[Fault]. Every global element of packages rel5 and rel6
// implements it with pointer receivers (rel5.Message and rel6.Message
// have the same method set), so passing a struct value, or anything that
// is not an MM7 message, does not compile.
type Body interface {
	// MM7Element returns the element's namespace and local name, e.g.
	// rel6.Namespace and "SubmitReq".
	MM7Element() (namespace, local string)
	// Validate checks the message against its schema and returns every
	// problem as a *xsdtypes.ValidationError, or nil.
	Validate() error
}

// The accessors generated on the message types whose schema has the field
// (see package rel6), used here instead of reflection.
type (
	versionedBody interface {
		GetMM7Version() string
	}
	vaspIDBody interface {
		GetVASPID() string
	}
	messageIDBody interface {
		GetMessageID() string
		SetMessageID(id string)
	}
	statusBody interface {
		GetStatus() (code int, text string)
	}
	recipientsBody interface {
		RecipientCount() int
	}
	contentBody interface {
		GetContentHref() string
	}
)

// bodyName returns the element name of b.
func bodyName(b Body) (namespace, local string) {
	if b == nil {
		return "", ""
	}
	return b.MM7Element()
}

// isNilBody reports whether b is nil or a nil pointer in a non-nil
// interface, which the generated methods other than MM7Element and
// Validate must not be called on.
func isNilBody(b Body) bool {
	if b == nil {
		return true
	}
	v := reflect.ValueOf(b)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// withMM7Version returns a copy of b with the given MM7Version.
func withMM7Version(b Body, version string) Body {
	switch m := b.(type) {
	case interface{ WithMM7Version(string) rel6.Message }:
		return m.WithMM7Version(version)
	case interface{ WithMM7Version(string) rel5.Message }:
		return m.WithMM7Version(version)
	}
	return b
}

// withSenderIDs returns a copy of b whose SenderIdentification has the
// given VASPID and VASID ("" leaves one as it is).
func withSenderIDs(b Body, vaspID, vasID string) Body {
	switch m := b.(type) {
	case interface {
		WithSenderIDs(string, string) rel6.Message
	}:
		return m.WithSenderIDs(vaspID, vasID)
	case interface {
		WithSenderIDs(string, string) rel5.Message
	}:
		return m.WithSenderIDs(vaspID, vasID)
	}
	return b
}

// withContentHref returns a copy of b whose Content points at href, and
// false when b has no Content element.
func withContentHref(b Body, href string) (Body, bool) {
	switch m := b.(type) {
	case interface{ WithContentHref(string) rel6.Message }:
		return m.WithContentHref(href), true
	case interface{ WithContentHref(string) rel5.Message }:
		return m.WithContentHref(href), true
	}
	return b, false
}

// InvalidMessageError reports a message that breaks its schema. The
// [Encoder] and the [Client] return it before writing or sending
// anything (unless [EncodeOptions].SkipValidation is set); errors.As also
// finds the underlying *xsdtypes.ValidationError.
type InvalidMessageError struct {
	// Kind is the message element, e.g. "SubmitReq".
	Kind string
	// Schema is the schema it was checked against, e.g. "REL-6-MM7-1-4".
	Schema string
	// Err lists every problem with its path.
	Err *xsdtypes.ValidationError
}

// Error returns e.g. "mm7: SubmitReq is not valid REL-6-MM7-1-4: 1 problem:
// /SubmitReq/Recipients: needs at least one of To, Cc, Bcc".
func (e *InvalidMessageError) Error() string {
	if e == nil || e.Err == nil {
		return "mm7: invalid message"
	}
	msg := e.Err.Error()
	msg = strings.TrimPrefix(msg, e.Err.Element+" is not valid: ")
	return "mm7: " + e.Kind + " is not valid " + e.Schema + ": " + msg
}

// Unwrap returns the *xsdtypes.ValidationError.
func (e *InvalidMessageError) Unwrap() error {
	if e == nil || e.Err == nil {
		return nil
	}
	return e.Err
}

// Problems returns every problem found, with its path.
func (e *InvalidMessageError) Problems() []xsdtypes.Problem {
	if e == nil || e.Err == nil {
		return nil
	}
	return e.Err.Problems
}

// Validate checks m.Body against the schema of m.Version and returns an
// *InvalidMessageError listing every problem, or nil. A receiver uses it
// to refuse what a strict MMSC refuses (mm7test and mm7 sim answer 4004
// Validation error): decoding is lenient about the wire form, Validate
// checks the content. An MM7Version the decoder already reported as a
// [DevVersionMismatch] deviation is not reported again.
func (m *Message) Validate() error {
	if m == nil || isNilBody(m.Body) {
		return &InvalidMessageError{Kind: "", Schema: m.schema(), Err: &xsdtypes.ValidationError{
			Problems: []xsdtypes.Problem{{Path: "/", Text: "message has no body"}}}}
	}
	err := validateBody(m.Body, m.Version)
	ie, ok := err.(*InvalidMessageError)
	if !ok || !slices.ContainsFunc(m.Deviations, func(d Deviation) bool { return d.Code == DevVersionMismatch }) {
		return err
	}
	kept := dropProblem(ie.Err.Problems, "/"+ie.Kind+"/MM7Version")
	if len(kept) == 0 {
		return nil
	}
	return &InvalidMessageError{Kind: ie.Kind, Schema: ie.Schema, Err: &xsdtypes.ValidationError{Element: ie.Err.Element, Problems: kept}}
}

func (m *Message) schema() string {
	if m == nil {
		return ""
	}
	return m.Version.Schema
}

func dropProblem(problems []xsdtypes.Problem, path string) []xsdtypes.Problem {
	var kept []xsdtypes.Problem
	for _, p := range problems {
		if p.Path != path {
			kept = append(kept, p)
		}
	}
	return kept
}

// validateBody checks b (already in the version it is sent in, MM7Version
// filled) and returns an *InvalidMessageError listing its problems.
func validateBody(b Body, v Version) error {
	err := b.Validate()
	if err == nil {
		return nil
	}
	_, local := bodyName(b)
	ve, ok := err.(*xsdtypes.ValidationError)
	if !ok {
		ve = &xsdtypes.ValidationError{Element: local, Problems: []xsdtypes.Problem{{Path: "/" + local, Text: err.Error()}}}
	}
	if ns, _ := b.MM7Element(); ns != v.Namespace {
		// Written in another published namespace of the release (a reply
		// in kind to REL-6-MM7-1-3): the generated enumeration of
		// MM7Version is not that schema's, and the encoder has checked
		// the value against the right one (mm7Versions).
		kept := dropProblem(ve.Problems, "/"+local+"/MM7Version")
		if len(kept) == 0 {
			return nil
		}
		ve = &xsdtypes.ValidationError{Element: ve.Element, Problems: kept}
	}
	return &InvalidMessageError{Kind: local, Schema: v.Schema, Err: ve}
}
