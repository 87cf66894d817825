package mime_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/openmms/mm7go/mm7/internal/mime"
)

// A SOAP-with-Attachments body as a Java MMSC might send it: LF line
// endings, Content-IDs without brackets, a BASE64 attachment without
// padding and no close delimiter.
func ExampleReader() {
	contentType := `multipart/related; type="text/xml"; Start=soap; boundary="=_b"`
	body := "--=_b\nContent-Type: text/xml\nContent-ID: soap\n\n<env:Envelope/>\n" +
		"--=_b\nContent-Type: text/plain\nContent-ID: <msg@x>\nContent-Transfer-Encoding: BASE64\n\naGVsbG8gd29ybGQ\n"

	_, params, devs, err := mime.ParseMediaType(contentType)
	if err != nil {
		panic(err)
	}
	r := mime.NewReader(strings.NewReader(body), params["boundary"], mime.Options{})
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		id, idDevs := mime.NormalizeContentID(p.Header.Get("Content-ID"))
		devs = append(devs, idDevs...)
		dec, cteDevs, err := mime.NewTransferDecoder(p.Body, p.Header.Get("Content-Transfer-Encoding"))
		if err != nil {
			panic(err)
		}
		data, err := io.ReadAll(dec)
		if err != nil {
			panic(err)
		}
		devs = append(devs, cteDevs...)
		devs = append(devs, dec.(mime.DeviationReporter).Deviations()...)
		fmt.Printf("part %d %s: %q\n", p.Index, id, data)
	}
	for _, d := range append(devs, r.Deviations()...) {
		fmt.Println(d.Code)
	}
	// Output:
	// part 1 soap: "<env:Envelope/>"
	// part 2 msg@x: "hello world"
	// capitalised-param
	// content-id-no-brackets
	// transfer-encoding-case
	// base64-no-padding
	// missing-final-boundary
	// lf-line-endings
}

func ExampleNewBase64Writer() {
	var sb strings.Builder
	w := mime.NewBase64Writer(&sb)
	data := strings.Repeat("MM7 ", 20)
	if _, err := io.WriteString(w, data); err != nil {
		panic(err)
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	fmt.Printf("%q\n", sb.String())
	fmt.Println(sb.Len() == int(mime.Base64EncodedLen(int64(len(data)))))
	// Output:
	// "TU03IE1NNyBNTTcgTU03IE1NNyBNTTcgTU03IE1NNyBNTTcgTU03IE1NNyBNTTcgTU03IE1NNyBN\r\nTTcgTU03IE1NNyBNTTcgTU03IE1NNyA="
	// true
}

func ExampleSameContentID() {
	href, _ := mime.ContentIDFromHref("cid: Photo%40mmsc")
	header, _ := mime.NormalizeContentID("<photo@mmsc>")
	same, lenient := mime.SameContentID(href, header)
	fmt.Println(href, header, same, lenient)
	// Output: Photo@mmsc photo@mmsc true true
}
