package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/openmms/mm7go/generated/convert"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/internal/msgview"
	"github.com/openmms/mm7go/mm7"
)

// A store keeps what mm7 serve receives on disk:
//
//	ROOT/<kind>/<id>/message.json     the decoded message and its metadata
//	ROOT/<kind>/<id>/envelope.xml     the SOAP envelope exactly as received
//	ROOT/<kind>/<id>/<attachment>...  each content part, as received
//	ROOT/.tmp/                        work area (same file system)
//	ROOT/.lock                        held by the running mm7 serve
//
// <kind> is deliver, delivery-report or read-reply, <id> the name of the
// message's key (see storeKey.dirName), or of the key and its content
// digest when another message with that key but other content was stored
// first (variantName). A message is written into a new directory under
// .tmp, made durable (its files and the directory fsynced all at once, so
// that the file system commits its journal once for them, and for other
// saves in progress), and renamed to its final name, whose parent is then
// fsynced (one fsync for a batch of concurrent renames: group commit): a
// message directory is complete or absent, and durable once save returns
// nil, which is when the Handler answers 1000.
// A message whose key and content are those of a stored one is a repeat:
// it is not written again.
type store struct {
	root string
	now  func() time.Time
	// render turns a message body into the value stored as "message";
	// its failure or panic is recorded, not fatal.
	render func(any) (any, error)
	// inject, when set (soak tests), is called before each write ("write")
	// and sync ("sync"); its error is taken for the step's.
	inject func(op string) error

	lock     *os.File
	kindSync map[string]*groupSync // fsync of each kind directory
}

// Store kinds: the directory names of the request kinds.
const (
	kindDeliver        = "deliver"
	kindDeliveryReport = "delivery-report"
	kindReadReply      = "read-reply"
	messageFile        = "message.json"
	envelopeFile       = "envelope.xml"
	tmpDir             = ".tmp"
)

var storeKinds = map[string]string{
	"DeliverReq":        kindDeliver,
	"DeliveryReportReq": kindDeliveryReport,
	"ReadReplyReq":      kindReadReply,
}

// openStore creates root and its kind directories, durably, locks it and
// empties its work area: what a crash left there was never acknowledged
// and can never be completed (the MMSC sends those messages again).
func openStore(root string) (*store, error) {
	if root == "" {
		return nil, errors.New("no output directory")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	s := &store{root: abs, now: time.Now, render: messageJSON, kindSync: map[string]*groupSync{}}
	if err := mkdirDurable(abs); err != nil {
		return nil, err
	}
	if s.lock, err = lockStore(abs); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			s.close() //nolint:errcheck // already failing
		}
	}()
	for _, d := range []string{tmpDir, kindDeliver, kindDeliveryReport, kindReadReply} {
		if err := mkdirDurable(filepath.Join(abs, d)); err != nil {
			return nil, err
		}
	}
	for _, k := range []string{kindDeliver, kindDeliveryReport, kindReadReply} {
		dir := filepath.Join(abs, k)
		s.kindSync[k] = newGroupSync(func() error { return syncDir(dir) })
	}
	if err := s.cleanScratch(); err != nil {
		return nil, err
	}
	ok = true
	return s, nil
}

// close releases the store's lock.
func (s *store) close() error {
	if s == nil || s.lock == nil { // nil: serve stores into a JetStream sink
		return nil
	}
	return s.lock.Close()
}

// cleanScratch removes everything in .tmp: saves a crash interrupted.
// Only this process (holding the lock) writes there.
func (s *store) cleanScratch() error {
	dir := filepath.Join(s.root, tmpDir)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("cleaning %s: %w", dir, err)
		}
	}
	return nil
}

// mkdirDurable creates dir and any missing parents, fsyncing the parent
// of every directory it creates.
func mkdirDurable(dir string) error {
	if st, err := os.Stat(dir); err == nil {
		if !st.IsDir() {
			return fmt.Errorf("%s is not a directory", dir)
		}
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := mkdirDurable(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(parent)
}

// syncDir fsyncs a directory, so that the entries created or renamed in
// it survive a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}

// storedMessage is message.json.
type storedMessage struct {
	// Kind is the request element, e.g. "DeliverReq".
	Kind string `json:"kind"`
	// ID is the directory name.
	ID            string `json:"id"`
	Version       string `json:"version"` // MM7Version as received
	Schema        string `json:"schema"`
	Namespace     string `json:"namespace"`
	TransactionID string `json:"transaction_id"`
	// Received is when the request arrived, RFC 3339 in UTC.
	Received    string `json:"received"`
	RemoteAddr  string `json:"remote_addr"`
	CarrierCode string `json:"carrier_code"`
	// Message is the decoded body; null when it could not be rendered,
	// MessageError saying why (envelope.xml has it all).
	Message      any                `json:"message"`
	MessageError string             `json:"message_error,omitempty"`
	Envelope     string             `json:"envelope"` // the file holding the envelope as received
	Attachments  []storedAttachment `json:"attachments"`
	Deviations   []inspectDeviation `json:"deviations"`
	// Unknown is what the typed message cannot hold (msgview.UnknownOf).
	Unknown []msgview.Unknown `json:"unknown"`
	// ContentSHA256 identifies the content (see contentDigest): a
	// message with the same key and content is a repeat.
	ContentSHA256 string `json:"content_sha256"`
	// Presentation is the SMIL presentation, when the message has one.
	Presentation *presentationJSON `json:"presentation,omitempty"`
}

// storedAttachment describes one content part and the file holding it.
type storedAttachment struct {
	File            string `json:"file"`
	ContentType     string `json:"content_type"`
	ContentID       string `json:"content_id"`
	ContentLocation string `json:"content_location"`
	Size            int64  `json:"size"`
	SHA256          string `json:"sha256"`
	partText
}

// A saveResult says what save did with a message.
type saveResult struct {
	Kind, ID, Dir string
	TransactionID string
	Summary       messageSummary
	Attachments   int
	Duplicate     bool // already stored: nothing written
}

// save stores the request with its attachments and returns once the
// message directory is durably published, or is found to hold the same
// message already. Its errors are the attachment stream's (a broken
// body, which the Handler answers as such) or storage failures (I/O:
// answered 3000 so that the MMSC sends the message again). Nothing else
// fails a save: a body that cannot be rendered is stored with
// message_error, its envelope.xml complete.
func (s *store) save(_ context.Context, r *mm7.Request) (*saveResult, error) {
	kind, ok := storeKinds[r.Kind()]
	if !ok {
		return nil, &mm7.StatusError{Code: mm7.StatusUnsupportedOperation, Text: "no place for a " + r.Kind()}
	}
	received := s.now().UTC()
	sum := summarizeSafe(r)
	base := sum.key.dirName()
	res := &saveResult{Kind: kind, TransactionID: r.TransactionID(), Summary: sum}
	tmp, err := os.MkdirTemp(filepath.Join(s.root, tmpDir), kind+"-")
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	published := false
	defer func() {
		if !published {
			os.RemoveAll(tmp) //nolint:errcheck // best effort: .tmp is scratch space, emptied at start
		}
	}()
	env := r.Envelope()
	var pending []pendingFile // written, not yet synced
	defer func() { closeAll(pending) }()
	if _, err := s.writeFile(filepath.Join(tmp, envelopeFile), bytes.NewReader(env), &pending); err != nil {
		return nil, err
	}
	digest := newContentDigest(r.Kind(), env)
	out := storedMessage{Kind: r.Kind(), Version: r.Version().MM7Version, Schema: r.Version().Schema,
		Namespace: r.Version().Namespace, TransactionID: r.TransactionID(), Received: received.Format(time.RFC3339Nano),
		RemoteAddr: r.RemoteAddr, CarrierCode: r.CarrierCode(), Envelope: envelopeFile,
		Attachments: []storedAttachment{}, Deviations: []inspectDeviation{}}
	out.Message, out.Unknown, out.MessageError = s.renderBody(r.Message)
	used := map[string]bool{messageFile: true, envelopeFile: true}
	var shown contentCollector // decoded text and SMIL presentation
	for i := 1; ; i++ {
		a, err := r.NextAttachment()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err // a broken body: the Handler answers it as such
		}
		name := uniqueName(used, attachmentFileName(a, i))
		sa, err := s.writeFile(filepath.Join(tmp, name), shown.add(a), &pending)
		if err != nil {
			return nil, err
		}
		sa.File, sa.ContentType, sa.ContentID, sa.ContentLocation = name, a.ContentType, a.ContentID, a.ContentLocation
		out.Attachments = append(out.Attachments, *sa)
		h, _ := hex.DecodeString(sa.SHA256)
		digest.attachment(*sa, h)
	}
	for _, d := range r.Deviations() {
		out.Deviations = append(out.Deviations, inspectDeviation{string(d.Code), d.Text})
	}
	texts, pres, cdevs := shown.finish()
	for i, t := range texts {
		if t != nil {
			out.Attachments[i].partText = *t
		}
	}
	out.Presentation = pres
	out.Deviations = append(out.Deviations, cdevs...)
	content := hex.EncodeToString(digest.sum())
	out.ContentSHA256 = content
	// message.json's id is the name of the directory it is published
	// in: the key's, or its variant's.
	for _, name := range []string{base, variantName(base, content)} {
		res.ID, res.Dir = name, filepath.Join(s.root, kind, name)
		// A repeat is recognised before anything is synced.
		if _, err := os.Lstat(res.Dir); err == nil {
			got, err := s.compare(kind, res.Dir, content)
			if err != nil {
				return nil, err
			}
			if got == pubRepeat {
				res.Duplicate = true
				return res, nil
			}
			continue
		}
		out.ID = name
		js, err := json.MarshalIndent(out, "", "  ")
		if err != nil { // cannot happen: out holds JSON values only
			out.Message, out.MessageError = nil, "rendering: "+err.Error()
			if js, err = json.MarshalIndent(out, "", "  "); err != nil {
				return nil, fmt.Errorf("store: %w", err)
			}
		}
		if err := os.Remove(filepath.Join(tmp, messageFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("store: %w", err)
		}
		if _, err := s.writeFile(filepath.Join(tmp, messageFile), bytes.NewReader(append(js, '\n')), &pending); err != nil {
			return nil, err
		}
		err = s.durable(tmp, pending)
		pending = nil
		if err != nil {
			return nil, err
		}
		got, err := s.publish(kind, tmp, res.Dir, content)
		if err != nil {
			return nil, err
		}
		switch got {
		case pubNew:
			published = true
			res.Attachments = len(out.Attachments)
			return res, nil
		case pubRepeat:
			res.Duplicate = true
			return res, nil
		}
	}
	return nil, fmt.Errorf("store: %s and its variant hold other content", base) // a SHA-256 collision
}

// What publish found.
const (
	pubNew    = iota // published
	pubRepeat        // the same message is stored (and durable)
	pubOther         // another message is stored under that name
)

// publish renames the durable tmp to dir and makes the rename durable.
// When another save got there first, it compares contents (see compare).
func (s *store) publish(kind, tmp, dir, content string) (int, error) {
	err := os.Rename(tmp, dir)
	if err == nil {
		if err := s.renamed(kind); err != nil {
			// Published but not known to be durable: answer 3000, and the
			// MMSC's retry is taken for the repeat it is.
			return 0, fmt.Errorf("store: %w", err)
		}
		return pubNew, nil
	}
	if _, serr := os.Lstat(dir); serr != nil {
		return 0, fmt.Errorf("store: publish: %w", err)
	}
	return s.compare(kind, dir, content)
}

// compare tells whether dir holds a message of this content: a repeat,
// acknowledged once dir is durable (the first copy may be between its
// rename and the fsync of the parent directory), or another message.
func (s *store) compare(kind, dir, content string) (int, error) {
	stored, err := storedContent(dir)
	if err != nil {
		return 0, err
	}
	if stored != content {
		return pubOther, nil
	}
	if err := s.renamed(kind); err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	return pubRepeat, nil
}

// storedContent returns the content digest in dir's message.json, or ""
// when it has none (written by an older mm7 serve: then nothing is taken
// for its repeat, and a message with its key is stored beside it).
func storedContent(dir string) (string, error) {
	f, err := os.Open(filepath.Join(dir, messageFile))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return "", nil // not a message directory: keep the new one apart
		}
		return "", fmt.Errorf("store: %w", err)
	}
	defer f.Close()
	var m struct {
		ContentSHA256 string `json:"content_sha256"`
	}
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return "", fmt.Errorf("store: %w", err)
		}
		return "", nil
	}
	return m.ContentSHA256, nil
}

// renderBody renders a message body for message.json, with what the
// typed view cannot hold; a failure (or a panic in a renderer) is
// returned as text, not as an error: sending the message again cannot
// help, and envelope.xml keeps every byte.
func (s *store) renderBody(m *mm7.Message) (v any, unknown []msgview.Unknown, problem string) {
	defer func() {
		if p := recover(); p != nil {
			v, unknown, problem = nil, nil, fmt.Sprintf("rendering panicked: %v", p)
		}
	}()
	v, err := s.render(m.Body)
	if err != nil {
		return nil, nil, "rendering: " + err.Error()
	}
	return v, msgview.UnknownOf(m), ""
}

// durable makes the files written into dir, and their names, survive a
// crash: it fsyncs every file and dir all at once (the file system
// commits its journal once for them, and for other saves in progress),
// and closes the files.
func (s *store) durable(dir string, files []pendingFile) error {
	if err := s.fault("sync"); err != nil {
		closeAll(files)
		return err
	}
	errs := make(chan error, len(files)+1)
	for _, pf := range files {
		go func() { errs <- pf.sync() }()
	}
	go func() { errs <- syncDir(dir) }()
	var first error
	for range len(files) + 1 {
		if err := <-errs; err != nil && first == nil {
			first = fmt.Errorf("store: %w", err)
		}
	}
	return first
}

// A pendingFile is a file written but not yet fsynced: open (the first
// maxOpenPending of a message), or to open again by name.
type pendingFile struct {
	name string
	f    *os.File
}

// maxOpenPending bounds the files a save keeps open until they are
// synced: a message with 100 parts does not hold 100 descriptors.
const maxOpenPending = 8

// sync fsyncs the file and closes it.
func (p pendingFile) sync() error {
	f := p.f
	if f == nil {
		var err error
		if f, err = os.Open(p.name); err != nil {
			return err
		}
	}
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("fsync %s: %w", filepath.Base(p.name), err)
	}
	return nil
}

// closeAll closes the files a failed save leaves open.
func closeAll(files []pendingFile) {
	for _, pf := range files {
		if pf.f != nil {
			pf.f.Close() //nolint:errcheck // the save failed already
		}
	}
}

// renamed makes the renames into a kind directory durable: one fsync of
// the directory for a batch of them (group commit).
func (s *store) renamed(kind string) error {
	if err := s.fault("sync"); err != nil {
		return err
	}
	return s.kindSync[kind].wait()
}

// fault returns the injected error of a step, if any.
func (s *store) fault(op string) error {
	if s.inject == nil {
		return nil
	}
	return s.inject(op)
}

// writeFile creates name (which must not exist) and copies r into it; it
// returns the size and SHA-256 of what it wrote, and adds the file to
// pending, for durable to sync. Errors reading r are returned as they
// are, so that the Handler can tell a broken request from a storage
// failure.
func (s *store) writeFile(name string, r io.Reader, pending *[]pendingFile) (*storedAttachment, error) {
	if err := s.fault("write"); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), &readErrMarker{r: r})
	if err != nil {
		f.Close()
		if re, ok := errors.AsType[*readError](err); ok {
			return nil, re.err
		}
		return nil, fmt.Errorf("store: %w", err)
	}
	if len(*pending) < maxOpenPending {
		*pending = append(*pending, pendingFile{name: name, f: f})
	} else {
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		*pending = append(*pending, pendingFile{name: name})
	}
	return &storedAttachment{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// readErrMarker wraps the errors of r in a *readError, so that the
// error of io.Copy tells reading from writing.
type readErrMarker struct{ r io.Reader }

type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

func (m *readErrMarker) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	if err != nil && err != io.EOF {
		return n, &readError{err}
	}
	return n, err
}

// attachmentFileName names the file of the i-th attachment: the last
// element of its Content-Location, else its Content-ID, else part-i,
// made safe (see safeName), with an extension from its type when it has
// none.
func attachmentFileName(a *mm7.Attachment, i int) string {
	fallback := fmt.Sprintf("part-%d", i)
	cand := ""
	if loc := strings.TrimSpace(a.ContentLocation); loc != "" {
		loc = strings.ReplaceAll(loc, `\`, "/")
		if j := strings.IndexAny(loc, "?#"); j >= 0 && strings.Contains(loc, "://") {
			loc = loc[:j]
		}
		cand = path.Base(strings.TrimRight(loc, "/"))
	}
	if cand == "" || cand == "." || cand == "/" || cand == ".." {
		cand = a.ContentID
	}
	name := safeName(cand, fallback)
	if !hasExtension(name) {
		name += extensionFor(a.MediaType())
	}
	return name
}

// hasExtension reports whether name ends in a file extension: a dot and
// 1 to 5 letters or digits.
func hasExtension(name string) bool {
	ext := filepath.Ext(name)
	if len(ext) < 2 || len(ext) > 6 {
		return false
	}
	for _, r := range ext[1:] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// extensionFor returns a file extension for a media type, or "".
func extensionFor(mt string) string {
	best := ""
	for ext, t := range mediaTypes {
		if t == mt && (best == "" || ext < best) { // deterministic: .jpeg < .jpg
			best = ext
		}
	}
	if mt == "image/jpeg" {
		best = ".jpg"
	}
	return best
}

// safeName turns s into a file name that stays in its directory: only
// letters, digits and ._-+@= are kept (anything else, path separators
// included, becomes _), no leading dot (so never "." or ".."), at most
// 100 bytes with the extension kept. An empty result gives fallback.
func safeName(s, fallback string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._-+@=", r):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	name := strings.TrimLeft(b.String(), ".")
	if strings.Trim(name, "_") == "" {
		return fallback
	}
	if len(name) > 100 {
		ext := filepath.Ext(name)
		if len(ext) > 16 {
			ext = ""
		}
		name = name[:100-len(ext)] + ext
	}
	return name
}

// A messageSummary holds what is logged about a message, and its key.
type messageSummary struct {
	key                                storeKey
	from, recipient, status, messageID string
}

// summarizeSafe is summarize, keyed by the TransactionID alone should
// reading the body panic: a bug there must not make every retry of the
// message fail.
func summarizeSafe(r *mm7.Request) (s messageSummary) {
	defer func() {
		if recover() != nil {
			s = messageSummary{key: txKey(r.TransactionID())}
		}
	}()
	return summarize(r)
}

func summarize(r *mm7.Request) messageSummary {
	var s messageSummary
	var body any = r.Message.Body
	if up, _, err := convert.ToRel6(body); err == nil {
		body = up // rel5 -> rel6 is lossless: one set of cases below
	}
	var rcpt keyPart
	switch b := body.(type) {
	case *rel6.DeliverReq:
		s.from, _ = addr6(b.Sender)
	case *rel6.DeliveryReportReq:
		s.from, _ = addr6(b.Sender)
		rcpt.value, rcpt.present = addr6(b.Recipient)
		s.status, s.messageID = string(b.MMStatus), b.MessageID
	case *rel6.ReadReplyReq:
		s.from, _ = addr6(b.Sender)
		rcpt.value, rcpt.present = addr6(b.Recipient)
		s.status, s.messageID = string(b.MMStatus), b.MessageID
	}
	s.recipient = rcpt.value
	mid := strings.TrimSpace(s.messageID)
	if r.Kind() == "DeliverReq" || mid == "" {
		s.key = txKey(r.TransactionID())
		return s
	}
	if rcpt.present {
		rcpt.value = mm7.NormalizeAddress(rcpt.value)
	}
	st := strings.TrimSpace(s.status)
	s.key = storeKey{scheme: "report", parts: []keyPart{{mid, true}, rcpt, {st, st != ""}}}
	return s
}

// addr6 returns the value of an address and whether it has one at all.
func addr6(a rel6.Address) (string, bool) {
	switch {
	case a.Number != nil:
		return strings.TrimSpace(a.Number.Value), true
	case a.ShortCode != nil:
		return strings.TrimSpace(a.ShortCode.Value), true
	case a.RFC2822Address != nil:
		return strings.TrimSpace(a.RFC2822Address.Value), true
	}
	return "", false
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}
