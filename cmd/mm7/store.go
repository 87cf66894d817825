package main

import (
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
	"time"

	"github.com/openmms/mm7go/generated/convert"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// A store keeps what mm7 serve receives on disk:
//
//	ROOT/<kind>/<id>/message.json     the decoded message and its metadata
//	ROOT/<kind>/<id>/<attachment>...  each content part, as received
//	ROOT/.tmp/                        work area (same file system)
//
// <kind> is deliver, delivery-report or read-reply. A message is written
// into a new directory under .tmp, every file and the directory are
// fsynced, and the directory is renamed to its final name, whose parent
// is fsynced too: a message directory is complete or absent, and present
// once save returns nil, which is when the Handler answers 1000.
// A second message with the same id is not written again.
type store struct {
	root string
	now  func() time.Time
}

// Store kinds: the directory names of the request kinds.
const (
	kindDeliver        = "deliver"
	kindDeliveryReport = "delivery-report"
	kindReadReply      = "read-reply"
	messageFile        = "message.json"
	tmpDir             = ".tmp"
)

var storeKinds = map[string]string{
	"DeliverReq":        kindDeliver,
	"DeliveryReportReq": kindDeliveryReport,
	"ReadReplyReq":      kindReadReply,
}

// openStore creates root and its kind directories, durably.
func openStore(root string) (*store, error) {
	if root == "" {
		return nil, errors.New("no output directory")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	s := &store{root: abs, now: time.Now}
	if err := mkdirDurable(abs); err != nil {
		return nil, err
	}
	for _, d := range []string{tmpDir, kindDeliver, kindDeliveryReport, kindReadReply} {
		if err := mkdirDurable(filepath.Join(abs, d)); err != nil {
			return nil, err
		}
	}
	s.removeStale(time.Hour)
	return s, nil
}

// removeStale removes what saves interrupted by a crash left in .tmp:
// directories older than age (younger ones may be another process's
// saves in progress). Nothing there was acknowledged.
func (s *store) removeStale(age time.Duration) {
	ents, err := os.ReadDir(filepath.Join(s.root, tmpDir))
	if err != nil {
		return
	}
	for _, e := range ents {
		if info, err := e.Info(); err == nil && s.now().Sub(info.ModTime()) > age {
			os.RemoveAll(filepath.Join(s.root, tmpDir, e.Name())) //nolint:errcheck // best effort: scratch space
		}
	}
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
	// ID is the directory name: see messageKey.
	ID            string `json:"id"`
	Version       string `json:"version"` // MM7Version as received
	Schema        string `json:"schema"`
	Namespace     string `json:"namespace"`
	TransactionID string `json:"transaction_id"`
	// Received is when the request arrived, RFC 3339 in UTC.
	Received    string             `json:"received"`
	RemoteAddr  string             `json:"remote_addr"`
	CarrierCode string             `json:"carrier_code"`
	Message     any                `json:"message"`
	Attachments []storedAttachment `json:"attachments"`
	Deviations  []inspectDeviation `json:"deviations"`
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
// message directory is durably published.
func (s *store) save(_ context.Context, r *mm7.Request) (*saveResult, error) {
	kind, ok := storeKinds[r.Kind()]
	if !ok {
		return nil, fmt.Errorf("store: no place for a %s", r.Kind())
	}
	received := s.now().UTC()
	sum := summarize(r)
	id := dirID(sum.key)
	if sum.key == "" {
		// No TransactionID or MessageID to recognise a repeat by: the
		// envelope's hash does (a resend carries the same bytes).
		h := sha256.Sum256(r.Envelope())
		id = "untitled-" + hex.EncodeToString(h[:8])
	}
	res := &saveResult{Kind: kind, ID: id, TransactionID: r.TransactionID(), Summary: sum, Dir: filepath.Join(s.root, kind, id)}
	if _, err := os.Lstat(res.Dir); err == nil {
		// A repeat: the first copy may still be between its rename and the
		// fsync of the parent directory, so sync it before acknowledging.
		if err := syncDir(filepath.Dir(res.Dir)); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		res.Duplicate = true
		return res, nil
	}
	tmp, err := os.MkdirTemp(filepath.Join(s.root, tmpDir), kind+"-")
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	published := false
	defer func() {
		if !published {
			os.RemoveAll(tmp) //nolint:errcheck // best effort: .tmp is scratch space
		}
	}()
	out := storedMessage{Kind: r.Kind(), ID: id, Version: r.Version().MM7Version, Schema: r.Version().Schema,
		Namespace: r.Version().Namespace, TransactionID: r.TransactionID(), Received: received.Format(time.RFC3339Nano),
		RemoteAddr: r.RemoteAddr, CarrierCode: r.CarrierCode(), Attachments: []storedAttachment{}, Deviations: []inspectDeviation{}}
	if out.Message, err = messageJSON(r.Message.Body); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	used := map[string]bool{messageFile: true}
	var content contentCollector
	for i := 1; ; i++ {
		a, err := r.NextAttachment()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err // a broken body: the Handler answers it as such
		}
		name := uniqueName(used, attachmentFileName(a, i))
		sa, err := writeFileDurable(filepath.Join(tmp, name), content.add(a))
		if err != nil {
			return nil, err
		}
		sa.File, sa.ContentType, sa.ContentID, sa.ContentLocation = name, a.ContentType, a.ContentID, a.ContentLocation
		out.Attachments = append(out.Attachments, *sa)
	}
	for _, d := range r.Deviations() {
		out.Deviations = append(out.Deviations, inspectDeviation{string(d.Code), d.Text})
	}
	texts, pres, cdevs := content.finish()
	for i, t := range texts {
		if t != nil {
			out.Attachments[i].partText = *t
		}
	}
	out.Presentation = pres
	out.Deviations = append(out.Deviations, cdevs...)
	js, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if _, err := writeFileDurable(filepath.Join(tmp, messageFile), strings.NewReader(string(js)+"\n")); err != nil {
		return nil, err
	}
	if err := syncDir(tmp); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := os.Rename(tmp, res.Dir); err != nil {
		if _, serr := os.Lstat(res.Dir); serr == nil {
			// Another delivery of the same message won the race; make its
			// directory entry durable before acknowledging this one.
			if err := syncDir(filepath.Dir(res.Dir)); err != nil {
				return nil, fmt.Errorf("store: %w", err)
			}
			res.Duplicate = true
			return res, nil
		}
		return nil, fmt.Errorf("store: publish: %w", err)
	}
	published = true
	if err := syncDir(filepath.Dir(res.Dir)); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	res.Attachments = len(out.Attachments)
	return res, nil
}

// writeFileDurable creates name (which must not exist), copies r into it
// and fsyncs it; it returns the size and SHA-256 of what it wrote.
// Errors reading r are returned as they are, so that the Handler can tell
// a broken request from a storage failure.
func writeFileDurable(name string, r io.Reader) (*storedAttachment, error) {
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
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("store: fsync %s: %w", filepath.Base(name), err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("store: %w", err)
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

// dirID turns a message key into a directory name: the key made safe,
// followed by a hash of the key when that changed it (so that different
// keys never share a directory).
func dirID(key string) string {
	name := safeName(key, "")
	if name == key && len(name) <= 100 {
		return name
	}
	sum := sha256.Sum256([]byte(key))
	if len(name) > 80 {
		name = name[:80]
	}
	if name == "" {
		return hex.EncodeToString(sum[:8])
	}
	return name + "-" + hex.EncodeToString(sum[:6])
}

// A messageSummary holds what is logged about a message, and its key.
type messageSummary struct {
	// key identifies the message across retries: the TransactionID of a
	// DeliverReq; MessageID, Recipient and MMStatus of a delivery report
	// or read reply (several reports per message are normal: Forwarded,
	// then Retrieved), or their TransactionID when the MessageID is
	// missing.
	key                                string
	from, recipient, status, messageID string
}

func summarize(r *mm7.Request) messageSummary {
	var s messageSummary
	body := r.Message.Body
	if up, _, err := convert.ToRel6(body); err == nil {
		body = up // rel5 -> rel6 is lossless: one set of cases below
	}
	switch b := body.(type) {
	case *rel6.DeliverReq:
		s.from = addr6(b.Sender)
	case *rel6.DeliveryReportReq:
		s.from, s.recipient, s.status, s.messageID = addr6(b.Sender), addr6(b.Recipient), string(b.MMStatus), b.MessageID
	case *rel6.ReadReplyReq:
		s.from, s.recipient, s.status, s.messageID = addr6(b.Sender), addr6(b.Recipient), string(b.MMStatus), b.MessageID
	}
	tx := strings.TrimSpace(r.TransactionID())
	switch mid := strings.TrimSpace(s.messageID); {
	case r.Kind() == "DeliverReq" || mid == "":
		s.key = tx
	default:
		s.key = mid + "_" + mm7.NormalizeAddress(s.recipient) + "_" + strings.TrimSpace(s.status)
	}
	return s
}

func addr6(a rel6.Address) string {
	switch {
	case a.Number != nil:
		return strings.TrimSpace(a.Number.Value)
	case a.ShortCode != nil:
		return strings.TrimSpace(a.ShortCode.Value)
	case a.RFC2822Address != nil:
		return strings.TrimSpace(a.RFC2822Address.Value)
	}
	return ""
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}
