package mime

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime/multipart"
	"net/textproto"
	"testing"
)

// benchBody is a SwA-like body with a 50 KB and a 1 MB part of base64
// lines, as multipart.Writer writes it.
func benchBody(b *testing.B) (body []byte, boundary string) {
	b.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, size := range []int{50 << 10, 1 << 20} {
		h := textproto.MIMEHeader{}
		h.Set("Content-Type", "image/jpeg")
		h.Set("Content-Transfer-Encoding", "base64")
		pw, err := w.CreatePart(h)
		if err != nil {
			b.Fatal(err)
		}
		raw := make([]byte, size*3/4)
		for i := range raw {
			raw[i] = byte(i * 31)
		}
		enc := NewBase64Writer(pw)
		if _, err := enc.Write(raw); err != nil {
			b.Fatal(err)
		}
		if err := enc.Close(); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), w.Boundary()
}

// BenchmarkReader compares Reader with mime/multipart.Reader.NextRawPart
// reading every part body to io.Discard.
func BenchmarkReader(b *testing.B) {
	body, boundary := benchBody(b)
	impls := []struct {
		name string
		read func() (int64, error)
	}{
		{"mm7mime", func() (int64, error) {
			r := NewReader(bytes.NewReader(body), boundary, Options{})
			var total int64
			for {
				p, err := r.NextPart()
				if err == io.EOF {
					return total, nil
				}
				if err != nil {
					return total, err
				}
				n, err := io.Copy(io.Discard, p.Body)
				total += n
				if err != nil {
					return total, err
				}
			}
		}},
		{"stdlib", func() (int64, error) {
			r := multipart.NewReader(bytes.NewReader(body), boundary)
			var total int64
			for {
				p, err := r.NextRawPart()
				if err == io.EOF {
					return total, nil
				}
				if err != nil {
					return total, err
				}
				n, err := io.Copy(io.Discard, p)
				total += n
				if err != nil {
					return total, err
				}
			}
		}},
	}
	for _, impl := range impls {
		b.Run("impl="+impl.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				n, err := impl.read()
				if err != nil {
					b.Fatal(err)
				}
				if n < 1<<20 {
					b.Fatalf("read %d bytes", n)
				}
			}
		})
	}
}

// BenchmarkBase64Decode compares the base64 transfer decoder with
// encoding/base64.NewDecoder on 1 MB of 76-column CRLF lines.
func BenchmarkBase64Decode(b *testing.B) {
	raw := make([]byte, 1<<20)
	for i := range raw {
		raw[i] = byte(i * 31)
	}
	var enc bytes.Buffer
	w := NewBase64Writer(&enc)
	if _, err := w.Write(raw); err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	impls := map[string]func(io.Reader) io.Reader{
		"mm7mime": func(r io.Reader) io.Reader { d, _, _ := NewTransferDecoder(r, "base64"); return d },
		"stdlib":  func(r io.Reader) io.Reader { return base64.NewDecoder(base64.StdEncoding, r) },
	}
	for _, name := range []string{"mm7mime", "stdlib"} {
		b.Run("impl="+name, func(b *testing.B) {
			b.SetBytes(int64(enc.Len()))
			b.ReportAllocs()
			for b.Loop() {
				n, err := io.Copy(io.Discard, impls[name](bytes.NewReader(enc.Bytes())))
				if err != nil || n != int64(len(raw)) {
					b.Fatal(n, err)
				}
			}
		})
	}
}
