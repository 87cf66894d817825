package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

func init() {
	register(&command{name: "send", usage: "--to ADDR [--from ADDR] [--subject S] [--text T] [--attach FILE[;type=TYPE]]... [flags]",
		short: "submit an MT message (SubmitReq) to an MMSC and print the result as one JSON object",
		long: `Addresses (--from, --to, --cc, --bcc) go into the element their form calls for:
  contains "@"                   -> RFC2822Address (e-mail)
  3 to 6 digits                  -> ShortCode
  anything else                  -> Number (e.g. 15555550123, +15555550123)
Each recipient is its own <To>, <Cc> or <Bcc> element: the form every MMSC reads.

The password comes from the ` + passwordEnv + ` environment variable or --password-file,
never from a flag. --version auto sends 6.8.0 (REL-6-MM7-1-4) and, when the MMSC
rejects that version, sends again once in 5.5.0 (REL-5-MM7-1-2, MM7Version 5.3.0).

The attachment type comes from the file extension, else from the content;
FILE;type=image/png overrides it. With more than one part, --smil auto adds
a SMIL presentation (MMS SMIL: regions Image and Text; a text shares the
slide of the image before it) as the start of the content; --slide PARTS
(repeatable) sets the slides instead, e.g.
  --text "Hi" --slide photo.jpg,@text --slide map.png
--fit re-encodes images that would exceed the limits (Vibes: 1 MiB request;
--max-content 300KB|600KB|1MB: a carrier size class) and reports each change
in "fit"; without --fit such a message is refused (exit 5), naming each part's
size. --charset writes --text in another charset (UTF-8 by default). --layout nested (TS 23.140) sends the parts as one multipart
content part; --layout flat puts them beside the SOAP part, for MMSCs that
store nested multiparts as one blob. --transfer-encoding binary sends media
parts unencoded, for MMSCs that store base64 without decoding it.

` + callOutputHelp + `

` + exitCodesHelp,
		run: runSend})
}

// callOutputHelp describes the stdout and stderr of send, cancel and
// replace.
const callOutputHelp = `stdout, whenever the MMSC answered anything, one JSON object:
  transaction_id, message_id (when the MMSC returned one), http_status,
  status_code and status_text (absent when the answer carried no status),
  status_source (response, fault or header: X-MM7-Status-Code),
  fault {code, string}, version and schema (sent in), answered {schema,
  namespace, mm7_version} (the version the MMSC answered in), negotiated,
  attempts, retry_after_seconds (a Retry-After header), deviations [{code, text}].
With --dry-run: the HTTP request that would be sent, Authorization redacted.
stderr: nothing on success; on failure one line naming the HTTP status
(when not 200), the MM7 status and the Fault. Log records only with -v or
--log-level.`

// sendFlags holds the flags of mm7 send.
type sendFlags struct {
	mmscFlags
	contentFlags
	from, subject             string
	to, cc, bcc               listFlag
	deliveryReport, readReply bool
	serviceCode, linkedID     string
	dlrCallbackURL            string
}

func runSend(ctx context.Context, e *env, args []string) int {
	c := commands["send"]
	fs := newFlags(e, c)
	var f sendFlags
	f.mmscFlags.register(fs)
	fs.StringVar(&f.from, "from", "", "sender `address` (short code, number or e-mail), in SenderIdentification/SenderAddress")
	fs.Var(&f.to, "to", "recipient `address` (repeatable)")
	fs.Var(&f.cc, "cc", "Cc recipient `address` (repeatable)")
	fs.Var(&f.bcc, "bcc", "Bcc recipient `address` (repeatable)")
	fs.StringVar(&f.subject, "subject", "", "message subject")
	f.contentFlags.register(fs)
	fs.BoolVar(&f.deliveryReport, "delivery-report", false, "request delivery reports (DeliveryReport=true)")
	fs.BoolVar(&f.readReply, "read-reply", false, "request read replies (ReadReply=true)")
	fs.StringVar(&f.serviceCode, "service-code", "", "ServiceCode (billing)")
	fs.StringVar(&f.linkedID, "linked-id", "", "LinkedID of the MO message this one answers")
	fs.StringVar(&f.dlrCallbackURL, "dlr-callback-url", "", "Vibes: X-Vibes-DlrCallbackUrl, where delivery reports are POSTed")
	queue := addQueueFlags(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "mm7 send: %s\nTry 'mm7 send -h'.\n", fmt.Sprintf(format, a...))
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	plan, err := f.plan()
	if err != nil {
		return usageErr("%v", err)
	}
	if queue.url != "" {
		return enqueueSend(ctx, e, queue, &f)
	}
	encOpts, err := f.contentFlags.encodeOptions()
	if err != nil {
		return usageErr("%v", err)
	}
	call, err := f.newCall(e, encOpts, f.media.options)
	if ue, ok := errors.AsType[usageError](err); ok {
		return usageErr("%v", ue)
	}
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	if err := f.media.checkFit(call.profile); err != nil {
		return usageErr("%v", err)
	}
	parts, closeParts, err := f.parts()
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	defer closeParts()
	if len(parts) == 0 {
		return usageErr("nothing to send: give --text, --attach or both")
	}
	if f.dlrCallbackURL != "" {
		call.withHeader(mm7.VibesDLRCallbackURL(f.dlrCallbackURL), mm7.VibesHeaderDLRCallbackURL, f.dlrCallbackURL)
	}
	body := f.submitReq(plan)
	if f.dryRun {
		if parts, err = f.media.dryRunParts(call.profile, call.versions[0], call.txID, body, parts); err != nil {
			return dryRunFailure(e, c.name, err)
		}
		if err := call.dryRun(e.stdout, body, parts); err != nil {
			return dryRunFailure(e, c.name, err)
		}
		return exitOK
	}
	ctx, cancel := call.timeoutCtx(ctx)
	defer cancel()
	res, err := call.client.Submit(ctx, body, parts, call.opts...)
	return reportCall(e, c.name, call.ctx, res, err)
}

// A sendPlan is what the flags resolve to before anything is read.
type sendPlan struct {
	from        *rel6.Address
	to, cc, bcc []rel6.MultiAddress
}

// plan checks the flags; its errors are usage errors.
func (f *sendFlags) plan() (*sendPlan, error) {
	p := &sendPlan{}
	if err := f.mmscFlags.check(); err != nil {
		return nil, err
	}
	if len(f.to)+len(f.cc)+len(f.bcc) == 0 {
		return nil, errors.New("no recipient: give --to (or --cc, --bcc)")
	}
	for _, l := range []struct {
		flag string
		in   listFlag
		out  *[]rel6.MultiAddress
	}{{"--to", f.to, &p.to}, {"--cc", f.cc, &p.cc}, {"--bcc", f.bcc, &p.bcc}} {
		for _, s := range l.in {
			if strings.TrimSpace(s) == "" {
				return nil, fmt.Errorf("%s: empty address", l.flag)
			}
			// One element per address: peers that read only the first or
			// last address of a <To> still get every recipient.
			var ma rel6.MultiAddress
			addToMulti(&ma, s)
			*l.out = append(*l.out, ma)
		}
	}
	if strings.TrimSpace(f.from) != "" {
		a := address(f.from)
		p.from = &a
	}
	if err := f.contentFlags.check(); err != nil {
		return nil, err
	}
	if f.dlrCallbackURL != "" {
		u, err := url.Parse(f.dlrCallbackURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("--dlr-callback-url: %q is not an absolute http or https URL", f.dlrCallbackURL)
		}
	}
	return p, nil
}

// An attachSpec is one --attach value.
type attachSpec struct {
	path, contentType string // contentType "" means detect
}

// parseAttachSpec reads FILE or FILE;type=TYPE.
func parseAttachSpec(s string) (attachSpec, error) {
	spec := attachSpec{path: s}
	if i := strings.LastIndex(strings.ToLower(s), ";type="); i >= 0 {
		spec.path, spec.contentType = s[:i], strings.TrimSpace(s[i+len(";type="):])
		if _, _, err := mime.ParseMediaType(spec.contentType); err != nil || !strings.Contains(spec.contentType, "/") {
			return spec, fmt.Errorf("--attach %s: %q is not a media type (want e.g. image/png)", spec.path, spec.contentType)
		}
	}
	if spec.path == "" {
		return spec, errors.New("--attach: empty file name")
	}
	return spec, nil
}

// Address kinds, named after the element each goes in.
const (
	addrEmail     = mm7.AddressRFC2822
	addrShortCode = mm7.AddressShortCode
	addrNumber    = mm7.AddressNumber
)

// classifyAddress chooses the address element for a command-line
// address ([mm7.AddressKind]).
func classifyAddress(s string) string { return mm7.AddressKind(s) }

// address returns s as an addressType.
func address(s string) rel6.Address {
	s = strings.TrimSpace(s)
	switch classifyAddress(s) {
	case addrEmail:
		return rel6.Address{RFC2822Address: &rel6.RFC2822Address{Value: s}}
	case addrShortCode:
		return rel6.Address{ShortCode: &rel6.ShortCode{Value: s}}
	}
	return rel6.Address{Number: &rel6.Number{Value: s}}
}

// addToMulti adds s to a multiAddressType.
func addToMulti(ma *rel6.MultiAddress, s string) {
	s = strings.TrimSpace(s)
	switch classifyAddress(s) {
	case addrEmail:
		ma.RFC2822Address = append(ma.RFC2822Address, rel6.RFC2822Address{Value: s})
	case addrShortCode:
		ma.ShortCode = append(ma.ShortCode, rel6.ShortCode{Value: s})
	default:
		ma.Number = append(ma.Number, rel6.Number{Value: s})
	}
}

// submitReq builds the SubmitReq. It is always a REL-6 struct: the
// client converts it when it speaks 5.5.0.
func (f *sendFlags) submitReq(p *sendPlan) *rel6.SubmitReq {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	req := &rel6.SubmitReq{
		SenderIdentification: rel6.SenderID{VASPID: opt(f.vaspID), VASID: opt(f.vasID), SenderAddress: p.from},
		Recipients:           rel6.Recipients{To: p.to, Cc: p.cc, Bcc: p.bcc},
		LinkedID:             opt(f.linkedID),
		Subject:              opt(f.subject),
	}
	if f.serviceCode != "" {
		req.ServiceCode = &rel6.ServiceCode{Value: f.serviceCode}
	}
	if f.deliveryReport {
		req.DeliveryReport = new(true)
	}
	if f.readReply {
		req.ReadReply = new(true)
	}
	return req
}

// parts opens the message content: the text, the attachments and the
// SMIL presentation. The caller calls closeAll when done.
func (f *contentFlags) parts() (parts []mm7.Attachment, closeAll func(), err error) {
	var files []*os.File
	closeAll = func() {
		for _, fl := range files {
			fl.Close()
		}
	}
	defer func() {
		if err != nil {
			closeAll()
		}
	}()
	names := map[string]bool{}
	if f.text != "" {
		name := uniqueName(names, "text.txt")
		parts = append(parts, f.media.textAttachment(name, f.text))
	}
	for _, s := range f.attach {
		spec, _ := parseAttachSpec(s) // checked by plan
		fl, err := os.Open(spec.path)
		if err != nil {
			return nil, closeAll, fmt.Errorf("--attach: %w", err)
		}
		files = append(files, fl)
		st, err := fl.Stat()
		if err != nil {
			return nil, closeAll, fmt.Errorf("--attach: %w", err)
		}
		if st.IsDir() {
			return nil, closeAll, fmt.Errorf("--attach %s: is a directory", spec.path)
		}
		ct := spec.contentType
		if ct == "" {
			if ct, err = detectContentType(fl); err != nil {
				return nil, closeAll, fmt.Errorf("--attach %s: %w", spec.path, err)
			}
		}
		name := uniqueName(names, safeName(filepath.Base(spec.path), "attachment"))
		parts = append(parts, mm7.Attachment{ContentType: ct, ContentID: name, ContentLocation: name, Size: st.Size(), Body: fl,
			TransferEncoding: f.mediaTransferEncoding(ct)})
	}
	switch strings.ToLower(f.smil) {
	case "none", "":
	case "auto":
		if parts, err = f.media.presentation(parts, f.text != "", f.attach); err != nil {
			return nil, closeAll, err
		}
	default:
		data, err := os.ReadFile(f.smil)
		if err != nil {
			return nil, closeAll, fmt.Errorf("--smil: %w", err)
		}
		name := uniqueName(names, safeName(filepath.Base(f.smil), "presentation.smil"))
		parts = append(parts, mm7.Attachment{ContentType: "application/smil", ContentID: name, ContentLocation: name,
			Body: bytes.NewReader(data)})
	}
	return parts, closeAll, nil
}

// mediaTypes maps the extensions of common MMS media to their type,
// independent of the system's MIME tables.
var mediaTypes = map[string]string{
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif", ".bmp": "image/bmp",
	".webp": "image/webp", ".wbmp": "image/vnd.wap.wbmp",
	".txt": "text/plain", ".smil": "application/smil", ".smi": "application/smil",
	".3gp": "video/3gpp", ".3g2": "video/3gpp2", ".mp4": "video/mp4", ".mov": "video/quicktime",
	".amr": "audio/amr", ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".wav": "audio/wav", ".ogg": "audio/ogg",
	".vcf": "text/x-vcard", ".vcs": "text/x-vcalendar", ".pdf": "application/pdf",
}

// detectContentType returns the media type of f from its extension,
// else from its first 512 bytes; f is left at its start.
func detectContentType(f *os.File) (string, error) {
	ext := strings.ToLower(filepath.Ext(f.Name()))
	if t, ok := mediaTypes[ext]; ok {
		return t, nil
	}
	if t := mime.TypeByExtension(ext); ext != "" && t != "" {
		return t, nil
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	return http.DetectContentType(head[:n]), nil
}

// uniqueName returns name, or name with "-2", "-3", ... before its
// extension when a part of the message already has it.
func uniqueName(used map[string]bool, name string) string {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	cand := name
	for i := 2; used[strings.ToLower(cand)]; i++ {
		cand = fmt.Sprintf("%s-%d%s", stem, i, ext)
	}
	used[strings.ToLower(cand)] = true
	return cand
}

// isVibes reports whether endpoint is on Vibes' MM7 host, which gets
// the Vibes profile (limits checked before sending, Vibes status texts).
func isVibes(endpoint string) bool {
	u, err := url.Parse(endpoint)
	v, _ := url.Parse(mm7.VibesEndpoint)
	return err == nil && strings.EqualFold(u.Hostname(), v.Hostname())
}

// urlHasUser reports whether endpoint carries user information, which
// the client sends as Basic Auth.
func urlHasUser(endpoint string) bool {
	u, err := url.Parse(endpoint)
	return err == nil && u.User != nil
}

// versionLabel returns the name --version takes for v (Vibes' labels).
func versionLabel(v mm7.Version) string {
	switch v.Release {
	case 5:
		return "5.5.0"
	case 6:
		return "6.8.0"
	}
	return v.MM7Version
}

// newTransactionID returns a random TransactionID.
func newTransactionID() string {
	b := make([]byte, 8)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails (Go 1.24+)
	return "mm7-" + hex.EncodeToString(b)
}
