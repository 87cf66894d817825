package mm7_test

import (
	"fmt"
	"strings"

	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7/fit"
	"github.com/openmms/mm7go/smil"
)

func ExampleDecodeText() {
	// A text part from a Japanese handset: Content-Type text/plain;
	// charset=Shift_JIS. The part's bytes stay as received; this is the
	// UTF-8 to show.
	a := mm7.Attachment{ContentType: "text/plain; charset=Shift_JIS"}
	text, err := mm7.DecodeText([]byte("\x93\xfa\x96\x7b\x8c\xea"), a.Charset())
	if err != nil {
		panic(err)
	}
	fmt.Println(text)
	// Output: 日本語
}

func ExampleEncodeText() {
	b, label, err := mm7.EncodeText("Привет", "windows-1251")
	if err != nil {
		panic(err)
	}
	fmt.Printf("text/plain; charset=%q: % x\n", label, b)
	// Output: text/plain; charset="windows-1251": cf f0 e8 e2 e5 f2
}

func ExampleWithPresentation() {
	parts := []mm7.Attachment{
		{ContentType: "image/jpeg", ContentLocation: "photo.jpg", Body: strings.NewReader("...")},
		{ContentType: "text/plain", ContentLocation: "text.txt", Body: strings.NewReader("See you!")},
	}
	// nil slides: the text shares the image's slide.
	parts, err := mm7.WithPresentation(parts, smil.Layout{}, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(parts[2].ContentType, parts[2].ContentID)
	// Output: application/smil presentation.smil
}

func ExampleFitAttachments() {
	// A client does this itself with Options.Fit; FitAttachments serves
	// an Encoder used directly.
	msg := &mm7.Message{TransactionID: "tx-1", Version: mm7.Rel6, Body: clientSubmitReq()}
	parts := []mm7.Attachment{{ContentType: "text/plain", Body: strings.NewReader("fits")}}
	out, reports, err := mm7.FitAttachments(msg, parts, mm7.ProfileVibes.Limits, fit.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(out), "part,", len(reports), "changed")
	// Output: 1 part, 0 changed
}
