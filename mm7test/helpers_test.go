package mm7test_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/openmms/mm7go/generated/convert"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7test"
)

// versions runs the tests of both releases.
var versions = []struct {
	name string
	v    mm7.Version
}{{"rel6", mm7.Rel6}, {"rel5", mm7.Rel5}}

// submitReq returns a SubmitReq from short code 12345 to the numbers in
// to, in version v's package.
func submitReq(t *testing.T, v mm7.Version, deliveryReport bool, to ...string) mm7.Body {
	t.Helper()
	var nums []rel6.Number
	for _, n := range to {
		nums = append(nums, rel6.Number{Value: n})
	}
	req := &rel6.SubmitReq{
		SenderIdentification: rel6.SenderID{VASPID: new("vasp-1"), SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}},
		Recipients:           rel6.Recipients{To: []rel6.MultiAddress{{Number: nums}}},
		DeliveryReport:       new(deliveryReport),
		Subject:              new("hello"),
	}
	if v.Release == 6 {
		return req
	}
	out, _, err := convert.ToRel5(req)
	if err != nil {
		t.Fatal(err)
	}
	return out.(mm7.Body)
}

// newClient returns a client of mmsc speaking only v.
func newClient(t *testing.T, url string, v mm7.Version, options ...func(*mm7.Options)) *mm7.Client {
	t.Helper()
	c, err := mm7.NewClient(url, append([]func(*mm7.Options){func(o *mm7.Options) { o.Versions = []mm7.Version{v} }}, options...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A received is a request a fake VASP received.
type received struct {
	Kind        string
	Release     int
	Header      http.Header
	User        string
	MessageID   string
	Recipient   string
	Sender      string
	Status      string
	Subject     string
	Attachments map[string][]byte // by media type
}

// vasp is a VASP endpoint: an mm7.Handler that records what it gets.
type vasp struct {
	mu   sync.Mutex
	got  []received
	wait chan struct{}
	h    *mm7.Handler
}

func newVASP() *vasp {
	v := &vasp{wait: make(chan struct{})}
	v.h = &mm7.Handler{
		OnDeliver:        v.receive,
		OnDeliveryReport: v.receive,
		OnReadReply:      v.receive,
	}
	return v
}

// serve starts the VASP on loopback and returns its URL.
func (v *vasp) serve(t *testing.T) string {
	ts := httptest.NewServer(v.h)
	t.Cleanup(ts.Close)
	return ts.URL + "/mm7"
}

func (v *vasp) receive(_ context.Context, r *mm7.Request) error {
	got := received{Kind: r.Kind(), Release: r.Version().Release, Header: r.Header, User: r.User, Attachments: map[string][]byte{}}
	var body any = r.Message.Body
	if out, _, err := convert.ToRel6(body); err == nil {
		body = out
	}
	switch b := body.(type) {
	case *rel6.DeliveryReportReq:
		got.MessageID, got.Status = b.MessageID, string(b.MMStatus)
		got.Recipient, got.Sender = addr(&b.Recipient), addr(&b.Sender)
	case *rel6.ReadReplyReq:
		got.MessageID, got.Status = b.MessageID, string(b.MMStatus)
		got.Recipient, got.Sender = addr(&b.Recipient), addr(&b.Sender)
	case *rel6.DeliverReq:
		got.Sender = addr(&b.Sender)
		if b.Recipients != nil && len(b.Recipients.To) > 0 {
			to := b.Recipients.To[0]
			switch {
			case len(to.ShortCode) > 0:
				got.Recipient = to.ShortCode[0].Value
			case len(to.Number) > 0:
				got.Recipient = to.Number[0].Value
			}
		}
		if b.Subject != nil {
			got.Subject = *b.Subject
		}
	}
	for {
		a, err := r.NextAttachment()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		data, err := io.ReadAll(a.Body)
		if err != nil {
			return err
		}
		got.Attachments[a.MediaType()] = data
	}
	v.mu.Lock()
	v.got = append(v.got, got)
	close(v.wait)
	v.wait = make(chan struct{})
	v.mu.Unlock()
	return nil
}

// received returns what the VASP got so far.
func (v *vasp) received() []received {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]received(nil), v.got...)
}

// waitFor waits until the VASP got n requests.
func (v *vasp) waitFor(t *testing.T, n int) []received {
	t.Helper()
	for {
		v.mu.Lock()
		got, wait := append([]received(nil), v.got...), v.wait
		v.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-wait:
		case <-t.Context().Done():
			t.Fatalf("the VASP got %d requests, want %d", len(got), n)
		}
	}
}

func addr(a *rel6.Address) string {
	switch {
	case a.Number != nil:
		return a.Number.Value
	case a.ShortCode != nil:
		return a.ShortCode.Value
	case a.RFC2822Address != nil:
		return a.RFC2822Address.Value
	}
	return ""
}

// memNet is an in-memory network of HTTP servers, connected with
// net.Pipe, for tests inside a testing/synctest bubble (where loopback
// sockets would keep the fake clock from advancing).
type memNet struct {
	mu sync.Mutex
	ls map[string]*memListener
}

func newMemNet() *memNet { return &memNet{ls: map[string]*memListener{}} }

// serve serves h at http://host/ until the test ends.
func (n *memNet) serve(t *testing.T, host string, h http.Handler) {
	l := &memListener{host: host, conns: make(chan net.Conn), done: make(chan struct{})}
	n.mu.Lock()
	n.ls[host+":80"] = l
	n.mu.Unlock()
	srv := &http.Server{Handler: h}
	go srv.Serve(l) //nolint:errcheck // ends with http.ErrServerClosed
	t.Cleanup(func() { srv.Close() })
}

// client returns an http.Client dialling the network's servers.
func (n *memNet) client(t *testing.T) *http.Client {
	tr := &http.Transport{DialContext: n.dial}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func (n *memNet) dial(ctx context.Context, _, address string) (net.Conn, error) {
	n.mu.Lock()
	l := n.ls[address]
	n.mu.Unlock()
	if l == nil {
		return nil, &net.OpError{Op: "dial", Net: "mem", Err: errors.New("connection refused")}
	}
	c, s := net.Pipe()
	select {
	case l.conns <- s:
		return c, nil
	case <-l.done:
		return nil, &net.OpError{Op: "dial", Net: "mem", Err: errors.New("connection refused")}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type memListener struct {
	host  string
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *memListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *memListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *memListener) Addr() net.Addr { return memAddr(l.host) }

type memAddr string

func (memAddr) Network() string  { return "mem" }
func (a memAddr) String() string { return string(a) }

// inMemory builds, inside a synctest bubble, an MMSC served at
// http://mmsc/mm7 and a VASP at http://vasp/mm7, and returns them with a
// client of the MMSC speaking v.
func inMemory(t *testing.T, v mm7.Version, opts mm7test.Options, clientOpts ...func(*mm7.Options)) (*mm7test.MMSC, *vasp, *mm7.Client) {
	t.Helper()
	n := newMemNet()
	hc := n.client(t)
	vp := newVASP()
	n.serve(t, "vasp", vp.h)
	if opts.VASPURL == "" {
		opts.VASPURL = "http://vasp/mm7"
	}
	opts.HTTPClient = hc
	m := mm7test.NewMMSC(opts)
	t.Cleanup(m.Close)
	n.serve(t, "mmsc", m)
	c := newClient(t, "http://mmsc/mm7", v, append(clientOpts, func(o *mm7.Options) { o.HTTPClient = hc })...)
	return m, vp, c
}
