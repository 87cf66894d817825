package mm7

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strconv"
	"strings"
	"sync"
)

// The Handler answers every request with one of a few shapes of reply:
// the response to the request's kind, or a Fault with a VASPErrorRsp or
// RSErrorRsp detail, in the request's version. Building each reply by
// reflection (generated struct, xml.Marshal, namespace rewriting) costs
// ~20 µs and ~100 allocations; the shapes are fixed, so each is encoded
// once by that same reflective path with placeholder values, cut at the
// placeholders, and later replies splice the escaped values into the
// pieces. The bytes are the reflective encoder's by construction
// (TestReplyTemplateMatchesReflection checks every shape).

// Placeholders the templates are cut at: values no reply carries, which
// escaping leaves unchanged.
const (
	phTxID        = "mm7goPlaceholderTransactionID"
	phText        = "mm7goPlaceholderStatusText"
	phMessageID   = "mm7goPlaceholderMessageID"
	phFaultString = "mm7goPlaceholderFaultString"
	phCode        = 987654321 // as StatusCode: no real code has 9 digits
)

// A slot is where a template takes a value.
type slot uint8

const (
	slotTxID slot = iota + 1
	slotCode
	slotText
	slotMessageID
	slotFaultString
)

var slotMarks = []struct {
	s    slot
	mark string
}{
	{slotTxID, phTxID},
	{slotCode, strconv.Itoa(phCode)},
	{slotText, phText},
	{slotMessageID, phMessageID},
	{slotFaultString, phFaultString},
}

// A replyTemplate is an encoded reply cut into literal pieces and slots.
type replyTemplate struct {
	lit   [][]byte // lit[i] precedes slots[i]; the last follows the last slot
	slots []slot
}

// replyValues are the values a template's slots take.
type replyValues struct {
	txID, text, messageID, faultString string
	code                               StatusCode
}

// newReplyTemplate cuts an encoded reply at its placeholders.
func newReplyTemplate(enc []byte) *replyTemplate {
	t := &replyTemplate{}
	for len(enc) > 0 {
		at, which := -1, slot(0)
		for _, m := range slotMarks {
			if i := bytes.Index(enc, []byte(m.mark)); i >= 0 && (at < 0 || i < at) {
				at, which = i, m.s
			}
		}
		if at < 0 {
			break
		}
		t.lit = append(t.lit, enc[:at])
		t.slots = append(t.slots, which)
		enc = enc[at+len(slotMarks[which-1].mark):]
	}
	t.lit = append(t.lit, enc)
	return t
}

// append writes the reply with values v to dst.
func (t *replyTemplate) append(dst *bytes.Buffer, v *replyValues) {
	for i, s := range t.slots {
		dst.Write(t.lit[i])
		switch s {
		case slotTxID:
			xml.EscapeText(dst, []byte(v.txID)) //nolint:errcheck // bytes.Buffer writes do not fail
		case slotCode:
			var n [20]byte
			dst.Write(strconv.AppendInt(n[:0], int64(v.code), 10))
		case slotText:
			xml.EscapeText(dst, []byte(v.text)) //nolint:errcheck
		case slotMessageID:
			xml.EscapeText(dst, []byte(v.messageID)) //nolint:errcheck
		case slotFaultString:
			xml.EscapeText(dst, []byte(v.faultString)) //nolint:errcheck
		}
	}
	dst.Write(t.lit[len(t.lit)-1])
}

// A replyKey names one shape of reply.
type replyKey struct {
	namespace, mm7Version string
	release               int
	kind                  string // request kind for a response; "" for a Fault
	vaspSide              bool   // Fault: VASPErrorRsp detail
	faultCode             string // Fault: Client or Server
	header                bool   // a TransactionID header
}

// maxReplyTemplates bounds the template cache. The keys come from a
// finite set (published namespaces and their MM7Version values, request
// kinds), far below this; past it replies are still built, not cached.
const maxReplyTemplates = 1024

var replyTemplates struct {
	sync.RWMutex
	m map[replyKey]*replyTemplate
}

func cachedTemplate(k replyKey, build func() ([]byte, error)) (*replyTemplate, error) {
	replyTemplates.RLock()
	t := replyTemplates.m[k]
	replyTemplates.RUnlock()
	if t != nil {
		return t, nil
	}
	enc, err := build()
	if err != nil {
		return nil, err
	}
	t = newReplyTemplate(enc)
	replyTemplates.Lock()
	if replyTemplates.m == nil {
		replyTemplates.m = map[replyKey]*replyTemplate{}
	}
	if len(replyTemplates.m) < maxReplyTemplates {
		replyTemplates.m[k] = t
	}
	replyTemplates.Unlock()
	return t, nil
}

// errNoTransactionID is a response without the TransactionID it must
// echo.
var errNoTransactionID = errors.New("mm7: encode: empty TransactionID (MMSCs such as Vibes reject it with 2502)")

// appendResponse writes the response, with status code and text (the
// code's own text when empty) and, for the kinds that carry one, a
// MessageID, to a request of kind in version v: the bytes encodeReply
// writes for NewResponse's message.
func appendResponse(dst *bytes.Buffer, v Version, kind, txID string, code StatusCode, text, messageID string) error {
	rv := replyVersion(v)
	if ResponseKind(kind) == "" {
		return errors.New("mm7: " + kind + " is not a request")
	}
	if txID = strings.TrimSpace(txID); txID == "" {
		return errNoTransactionID
	}
	k := replyKey{namespace: rv.Namespace, mm7Version: rv.MM7Version, release: rv.Release, kind: kind, header: true}
	t, err := cachedTemplate(k, func() ([]byte, error) {
		req := newMessage(rv, kind)
		if req == nil {
			return nil, errors.New("mm7: " + rv.Schema + " has no " + kind)
		}
		rsp, err := NewResponse(&Message{TransactionID: phTxID, Version: rv, Body: req}, phCode, phText)
		if err != nil {
			return nil, err
		}
		setMessageID(rsp.Body, phMessageID)
		return encodeReply(rsp)
	})
	if err != nil {
		return err
	}
	if text == "" {
		text = code.String()
	}
	t.append(dst, &replyValues{txID: txID, code: code, text: text, messageID: messageID})
	return nil
}

// appendFault writes what encodeReply writes for newFault's message.
func appendFault(dst *bytes.Buffer, txID string, v Version, vaspSide bool, code StatusCode, text, problem string) error {
	rv := replyVersion(v)
	txID = strings.TrimSpace(txID)
	k := replyKey{namespace: rv.Namespace, mm7Version: rv.MM7Version, release: rv.Release, vaspSide: vaspSide, faultCode: code.FaultCode(), header: txID != ""}
	t, err := cachedTemplate(k, func() ([]byte, error) {
		tx := ""
		if k.header {
			tx = phTxID
		}
		m := newFault(tx, rv, vaspSide, phCode, phText, "")
		f := m.Body.(*Fault)
		f.Code, f.String = k.faultCode, phFaultString
		return encodeReply(m)
	})
	if err != nil {
		return err
	}
	f := newFaultStrings(code, text, problem)
	t.append(dst, &replyValues{txID: txID, code: code, text: f.text, faultString: f.faultString})
	return nil
}

// setMessageID sets the MessageID of the responses that carry one
// (SubmitRsp, extendedReplaceRsp).
func setMessageID(body Body, id string) {
	if b, ok := body.(messageIDBody); ok && !isNilBody(body) {
		b.SetMessageID(id)
	}
}

// replyPool recycles reply buffers.
var replyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getReplyBuffer() *bytes.Buffer {
	b := replyPool.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

func putReplyBuffer(b *bytes.Buffer) {
	if b.Cap() <= 64<<10 { // a reply with a huge text is not kept
		replyPool.Put(b)
	}
}
