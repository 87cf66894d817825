package main

// Flags, client and dry run shared by the commands that send a request to
// an MMSC: send, cancel and replace.

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/openmms/mm7go/generated/convert"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// mmscFlags are the flags of every command talking to an MMSC.
type mmscFlags struct {
	url, user, passwordFile, version string
	txID, vaspID, vasID              string
	carrierCode                      string
	dryRun                           bool
	timeout                          time.Duration
	logger                           func(io.Writer) (*slog.Logger, error)
}

// register adds the flags to fs.
func (m *mmscFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&m.url, "url", mm7.VibesEndpoint, "MMSC endpoint `URL`")
	fs.StringVar(&m.user, "user", "", "Basic Auth user `name` (the password comes from "+passwordEnv+" or --password-file)")
	fs.StringVar(&m.passwordFile, "password-file", "", "read the password from `FILE` (default: the "+passwordEnv+" environment variable)")
	fs.StringVar(&m.version, "version", "6.8.0", "MM7 version: 6.8.0, 5.5.0 or auto (6.8.0, then 5.5.0 if the MMSC rejects it)")
	fs.StringVar(&m.vaspID, "vaspid", "", "SenderIdentification/VASPID")
	fs.StringVar(&m.vasID, "vasid", "", "SenderIdentification/VASID")
	fs.StringVar(&m.txID, "transaction-id", "", "TransactionID (default: random)")
	fs.StringVar(&m.carrierCode, "carrier-code", "", "Vibes: X-Vibes-CarrierCode of the recipient's carrier")
	fs.BoolVar(&m.dryRun, "dry-run", false, "print the HTTP request (Authorization redacted) instead of sending it; limits are checked as for a real send")
	fs.DurationVar(&m.timeout, "timeout", mm7.DefaultTimeout, "give up after this long (exit code 4)")
	m.logger = logFlags(fs)
}

// versions resolves --version.
func (m *mmscFlags) versions() ([]mm7.Version, error) {
	if strings.EqualFold(strings.TrimSpace(m.version), "auto") {
		return []mm7.Version{mm7.Rel6, mm7.Rel5}, nil
	}
	v, err := mm7.ParseVersion(m.version)
	if err != nil {
		return nil, fmt.Errorf("--version: want 6.8.0, 5.5.0 or auto, got %q", m.version)
	}
	return []mm7.Version{v}, nil
}

// check validates the flags that need no I/O; its errors are usage
// errors.
func (m *mmscFlags) check() error {
	if m.timeout <= 0 {
		return errors.New("--timeout must be positive")
	}
	_, err := m.versions()
	return err
}

// A mmscCall is a configured client and what a call needs besides the
// request.
type mmscCall struct {
	client   *mm7.Client
	versions []mm7.Version
	profile  mm7.Profile
	auth     bool // Basic Auth is sent
	txID     string
	opts     []mm7.CallOption
	headers  http.Header // extra headers, for the dry run
	ctx      callContext
	encode   mm7.EncodeOptions
}

// usageError is a problem with the flags: exit code 2.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }

// newCall reads the password and builds the client. Errors are a
// usageError (exit 2) or another error (exit 1).
func (m *mmscFlags) newCall(e *env, encode mm7.EncodeOptions) (*mmscCall, error) {
	versions, err := m.versions()
	if err != nil {
		return nil, usageError{err}
	}
	pass, err := readPassword(e, m.passwordFile)
	if err != nil {
		return nil, err
	}
	if m.user != "" && pass == "" && !m.dryRun {
		return nil, usageError{fmt.Errorf("--user %s needs a password: set %s or --password-file", clipLine(m.user, 64), passwordEnv)}
	}
	log, err := m.logger(e.stderr)
	if err != nil {
		return nil, usageError{err}
	}
	c := &mmscCall{versions: versions, auth: m.user != "" || pass != "" || urlHasUser(m.url), encode: encode,
		ctx: callContext{timeout: m.timeout}, headers: http.Header{}}
	if isVibes(m.url) {
		c.profile = mm7.ProfileVibes
	}
	c.client, err = mm7.NewClient(m.url, func(o *mm7.Options) {
		o.Username, o.Password = m.user, pass
		o.Versions = versions
		o.Logger = log
		o.Profile = c.profile
		o.EncodeOptions = encode
	})
	if err != nil {
		return nil, usageError{fmt.Errorf("--url: %s", plainError(err))}
	}
	if c.profile.Name == "" {
		c.profile = mm7.ProfileTS23140
	}
	c.ctx.endpoint = c.client.Endpoint()
	c.txID = m.txID
	if c.txID == "" {
		c.txID = newTransactionID()
	}
	c.opts = []mm7.CallOption{mm7.WithTransactionID(c.txID)}
	if m.carrierCode != "" {
		c.opts = append(c.opts, mm7.VibesCarrierCode(m.carrierCode))
		c.headers.Set(mm7.VibesHeaderCarrierCode, m.carrierCode)
	}
	return c, nil
}

// withHeader adds a Vibes header to the call and the dry run.
func (c *mmscCall) withHeader(opt mm7.CallOption, name, value string) {
	c.opts = append(c.opts, opt)
	c.headers.Set(name, value)
}

// timeoutCtx bounds a call by --timeout.
func (c *mmscCall) timeoutCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.ctx.timeout)
}

// dryRun writes the HTTP request the client would send first: the same
// message in the first version, encoded with the same options and checked
// against the same profile limits; Authorization is redacted.
func (c *mmscCall) dryRun(w io.Writer, body any, parts []mm7.Attachment) error {
	v := c.versions[0]
	var msgBody = body
	if v.Release == 5 {
		b, _, err := convert.ToRel5(body)
		if err != nil {
			return err
		}
		msgBody = b
	}
	limits := c.profile.Limits
	if n := countRecipients(body); limits.MaxRecipients > 0 && n > limits.MaxRecipients {
		return &mm7.LimitError{Profile: c.profile.Name, Limit: "recipients", Max: int64(limits.MaxRecipients), Got: int64(n), Remote: "status 3003"}
	}
	enc, err := mm7.NewEncoder(&mm7.Message{TransactionID: c.txID, Version: v, Body: msgBody}, parts, c.encode)
	if err != nil {
		return err
	}
	if n, ok := enc.ContentLength(); ok && limits.MaxBodyBytes > 0 && n > limits.MaxBodyBytes {
		return &mm7.LimitError{Profile: c.profile.Name, Limit: "request body bytes", Max: limits.MaxBodyBytes, Got: n, Remote: "HTTP 413"}
	}
	var buf bytes.Buffer
	if _, err := enc.WriteTo(&buf); err != nil {
		return err
	}
	if limits.MaxBodyBytes > 0 && int64(buf.Len()) > limits.MaxBodyBytes {
		return &mm7.LimitError{Profile: c.profile.Name, Limit: "request body bytes", Max: limits.MaxBodyBytes, Got: int64(buf.Len()), Remote: "HTTP 413"}
	}
	req, err := http.NewRequest(http.MethodPost, c.client.Endpoint(), bytes.NewReader(buf.Bytes()))
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "mm7go")
	req.Header.Set("Content-Type", enc.ContentType())
	req.Header["SOAPAction"] = []string{`""`}
	req.Header.Set("Accept-Encoding", "gzip") // added by net/http's transport
	if c.auth {
		req.Header.Set("Authorization", "Basic REDACTED")
	}
	for k, vs := range c.headers {
		req.Header[k] = vs
	}
	return req.Write(w)
}

// countRecipients counts the addresses of a REL-6 SubmitReq.
func countRecipients(body any) int {
	sr, ok := body.(*rel6.SubmitReq)
	if !ok {
		return 0
	}
	n := 0
	for _, list := range [][]rel6.MultiAddress{sr.Recipients.To, sr.Recipients.Cc, sr.Recipients.Bcc} {
		for _, ma := range list {
			n += len(ma.Number) + len(ma.ShortCode) + len(ma.RFC2822Address)
		}
	}
	return n
}

// dryRunFailure reports a dry run that failed: a limit or an encoding
// problem is "refused locally" (exit 5), as it would be for a real send.
func dryRunFailure(e *env, name string, err error) int {
	return fail(e, name, exitRefused, fmt.Errorf("refused locally, nothing sent: %s", plainError(err)))
}
