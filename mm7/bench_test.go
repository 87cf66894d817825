package mm7_test

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

func benchSubmit() *rel6.SubmitReq {
	return &rel6.SubmitReq{
		MM7Version:           rel6.Version6_8_0,
		SenderIdentification: rel6.SenderID{VASPID: new("examplevasp"), SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}},
		Recipients:           rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}},
		DeliveryReport:       new(true),
		Subject:              new("Your January coupon"),
		Content:              &rel6.ContentReference{Href: "cid:content@vasp"},
	}
}

func benchImage(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*31 + i>>8)
	}
	return b
}

func benchParts(img []byte) []mm7.Attachment {
	return []mm7.Attachment{
		{ContentType: "text/plain", ContentLocation: "msg.txt", Body: strings.NewReader("Show this message at the till for 20% off.")},
		{ContentType: "image/jpeg", ContentLocation: "coupon.jpg", Body: bytes.NewReader(img)},
	}
}

// naiveEnvelope is what a hand-rolled client unmarshals into.
type naiveEnvelope struct {
	XMLName xml.Name `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
	Header  struct {
		TransactionID string `xml:"TransactionID"`
	} `xml:"Header"`
	Body struct {
		SubmitReq rel6.SubmitReq `xml:"SubmitReq"`
	} `xml:"Body"`
}

// naiveEncode is the usual hand-rolled encoder: mime/multipart.Writer,
// the envelope marshalled in one piece, base64 of the whole part in memory.
func naiveEncode(w io.Writer, req *rel6.SubmitReq, text string, img []byte) (string, error) {
	var env naiveEnvelope
	env.Header.TransactionID = "tx-1"
	env.Body.SubmitReq = *req
	soap, err := xml.Marshal(env)
	if err != nil {
		return "", err
	}
	mw := multipart.NewWriter(w)
	h := textproto.MIMEHeader{"Content-Type": {"text/xml; charset=utf-8"}, "Content-Id": {"<soap>"}}
	p, _ := mw.CreatePart(h)
	p.Write(soap)
	var inner bytes.Buffer
	iw := multipart.NewWriter(&inner)
	tp, _ := iw.CreatePart(textproto.MIMEHeader{"Content-Type": {"text/plain"}, "Content-Id": {"<t>"}})
	io.WriteString(tp, text)
	ip, _ := iw.CreatePart(textproto.MIMEHeader{"Content-Type": {"image/jpeg"}, "Content-Id": {"<i>"}, "Content-Transfer-Encoding": {"base64"}})
	io.WriteString(ip, base64.StdEncoding.EncodeToString(img))
	iw.Close()
	cp, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"multipart/mixed; boundary=" + iw.Boundary()}, "Content-Id": {"<content@vasp>"}})
	cp.Write(inner.Bytes())
	return `multipart/related; type="text/xml"; start="<soap>"; boundary=` + mw.Boundary(), mw.Close()
}

// naiveDecode reads every part whole (NextPart, ReadAll), unmarshals the
// envelope and base64-decodes the attachments in memory.
func naiveDecode(body []byte, contentType string) error {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return err
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var parts [][]byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "multipart/") {
			_, ip, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
			ir := multipart.NewReader(bytes.NewReader(b), ip["boundary"])
			for {
				q, err := ir.NextPart()
				if err == io.EOF {
					break
				}
				if err != nil {
					return err
				}
				qb, err := io.ReadAll(q)
				if err != nil {
					return err
				}
				if strings.EqualFold(q.Header.Get("Content-Transfer-Encoding"), "base64") {
					if qb, err = base64.StdEncoding.DecodeString(strings.ReplaceAll(strings.ReplaceAll(string(qb), "\r\n", ""), "\n", "")); err != nil {
						return err
					}
				}
				parts = append(parts, qb)
			}
			continue
		}
		parts = append(parts, b)
	}
	var env naiveEnvelope
	return xml.Unmarshal(parts[0], &env)
}

func mm7Decode(body []byte, contentType string) error {
	dec, err := mm7.NewDecoder(bytes.NewReader(body), contentType, mm7.DecodeOptions{})
	if err != nil {
		return err
	}
	if _, err := dec.Message(); err != nil {
		return err
	}
	for {
		a, err := dec.NextAttachment()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := io.Copy(io.Discard, a.Body); err != nil {
			return err
		}
	}
}

// BenchmarkDecodeSubmitReq decodes a SubmitReq with a text and a 50 KB
// image: mm7's streaming decoder against the naive reference, same run.
func BenchmarkDecodeSubmitReq(b *testing.B) {
	img := benchImage(50 << 10)
	var body bytes.Buffer
	ct, err := mm7.Encode(&body, &mm7.Message{TransactionID: "tx-1", Version: mm7.Rel6, Body: benchSubmit()}, benchParts(img)...)
	if err != nil {
		b.Fatal(err)
	}
	impls := map[string]func([]byte, string) error{"mm7": mm7Decode, "naive": naiveDecode}
	for _, name := range []string{"mm7", "naive"} {
		decode := impls[name]
		b.Run("impl="+name, func(b *testing.B) {
			b.SetBytes(int64(body.Len()))
			b.ReportAllocs()
			for b.Loop() {
				if err := decode(body.Bytes(), ct); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncodeSubmitReq encodes the same message both ways.
func BenchmarkEncodeSubmitReq(b *testing.B) {
	img := benchImage(50 << 10)
	text := "Show this message at the till for 20% off."
	b.Run("impl=mm7", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := mm7.Encode(io.Discard, &mm7.Message{TransactionID: "tx-1", Version: mm7.Rel6, Body: benchSubmit()}, benchParts(img)...); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=naive", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := naiveEncode(io.Discard, benchSubmit(), text, img); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// pattern is an endless reader of non-constant bytes.
type pattern struct{ i byte }

func (p *pattern) Read(b []byte) (int, error) {
	for k := range b {
		b[k] = p.i
		p.i = p.i*5 + 1
	}
	return len(b), nil
}

// peakHeap runs f and returns the largest HeapInuse seen while it ran,
// in MB, sampled every millisecond.
func peakHeap(f func() error) (float64, error) {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	})
	err := f()
	close(done)
	wg.Wait()
	return float64(peak.Load()) / (1 << 20), err
}

// BenchmarkStream100MB encodes and decodes a message with a 100 MB
// attachment through a pipe and reports the peak heap: streaming keeps it
// at a few MB whatever the attachment size.
func BenchmarkStream100MB(b *testing.B) {
	const size = 100 << 20
	for b.Loop() {
		peak, err := peakHeap(func() error {
			pr, pw := io.Pipe()
			enc, err := mm7.NewEncoder(&mm7.Message{TransactionID: "tx-big", Version: mm7.Rel6, Body: benchSubmit()},
				[]mm7.Attachment{{ContentType: "video/mp4", Body: io.LimitReader(&pattern{}, size), Size: size}}, mm7.EncodeOptions{})
			if err != nil {
				return err
			}
			go func() { _, err := enc.WriteTo(pw); pw.CloseWithError(err) }()
			dec, err := mm7.NewDecoder(pr, enc.ContentType(), mm7.DecodeOptions{})
			if err != nil {
				return err
			}
			if _, err := dec.Message(); err != nil {
				return err
			}
			a, err := dec.NextAttachment()
			if err != nil {
				return err
			}
			n, err := io.Copy(io.Discard, a.Body)
			if err == nil && n != size {
				b.Fatalf("decoded %d bytes, want %d", n, size)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(peak, "peak-MB")
	}
}
