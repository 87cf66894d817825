package mm7

import "errors"

// A DecodeError is a message that could not be decoded. It carries what
// the decoder learnt before failing, so that a receiver can answer in
// kind, and the status TS 23.140 gives for the failure.
type DecodeError struct {
	// Status is the status to answer with: 2007 Message format corrupt
	// for broken MIME, XML or SOAP framing, 4002 Unsupported version for
	// an unknown namespace or version, 4003 Unsupported operation for an
	// unknown message, 4004 Validation error for content that does not
	// decode (a bad value, a strict-mode deviation).
	Status StatusCode
	// TransactionID is the request's TransactionID, if it could be read.
	TransactionID string
	// Kind is the body element's local name, if it was reached.
	Kind string
	// Version is the detected version, or the zero Version.
	Version Version
	// Err is the underlying error; its text says what and where.
	Err error
}

func (e *DecodeError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error (a *DeviationError in strict mode).
func (e *DecodeError) Unwrap() error { return e.Err }

// Status returns the status a receiver should answer a strict-mode
// rejection of this deviation with: 4002 Unsupported version for
// namespace and version deviations, 4004 Validation error (format
// incompatible) for the others.
func (d Deviation) Status() StatusCode {
	switch d.Code {
	case DevNamespaceOther, DevNamespaceUnknown, DevNamespaceMissing, DevVersionMismatch:
		return StatusUnsupportedVersion
	}
	return StatusValidationError
}

// asDecodeError returns err as a *DecodeError, classifying errors that
// are not one yet: strict-mode deviations by their code, anything else as
// a malformed message (2007). It fills in what msg and v tell.
func asDecodeError(err error, msg *Message) error {
	if err == nil {
		return nil
	}
	de, ok := errors.AsType[*DecodeError](err)
	if !ok {
		de = &DecodeError{Status: StatusMessageFormatCorrupt, Err: err}
		if dv, isDev := errors.AsType[*DeviationError](err); isDev {
			de.Status = dv.Deviation.Status()
		}
	}
	if msg != nil {
		if de.TransactionID == "" {
			de.TransactionID = msg.TransactionID
		}
		if de.Kind == "" {
			de.Kind = msg.Kind()
		}
		if de.Version.Schema == "" {
			de.Version = msg.Version
		}
	}
	return de
}
