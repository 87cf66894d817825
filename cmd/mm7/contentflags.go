package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/openmms/mm7go/mm7"
)

// contentFlags are the flags giving the content of send and replace.
type contentFlags struct {
	text, smil               string
	attach                   listFlag
	layout, transferEncoding string
}

// register adds the content flags to fs.
func (f *contentFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.text, "text", "", "text part (text/plain, UTF-8)")
	fs.Var(&f.attach, "attach", "attach `FILE` (repeatable); FILE;type=TYPE sets the content type")
	fs.StringVar(&f.smil, "smil", "auto", "SMIL presentation: auto (generated when there are 2+ parts), none, or a `FILE`")
	fs.StringVar(&f.layout, "layout", "nested", "content `layout`: nested (one multipart content part, TS 23.140) or flat (each part beside the SOAP part)")
	fs.StringVar(&f.transferEncoding, "transfer-encoding", "base64", "Content-Transfer-Encoding of media (non-text) parts: base64 or binary")
}

// check validates the content flags; its errors are usage errors.
func (f *contentFlags) check() error {
	for _, s := range f.attach {
		if _, err := parseAttachSpec(s); err != nil {
			return err
		}
	}
	if _, err := f.encodeOptions(); err != nil {
		return err
	}
	switch strings.ToLower(f.transferEncoding) {
	case "base64", "binary":
		return nil
	}
	return fmt.Errorf("--transfer-encoding: want base64 or binary, got %q", f.transferEncoding)
}

// encodeOptions returns the encoder options the flags ask for.
func (f *contentFlags) encodeOptions() (mm7.EncodeOptions, error) {
	l, err := mm7.ParseLayout(f.layout)
	if err != nil {
		return mm7.EncodeOptions{}, fmt.Errorf("--layout: want nested or flat, got %q", f.layout)
	}
	return mm7.EncodeOptions{Layout: l}, nil
}

// mediaTransferEncoding is the transfer encoding of an attached file of
// type ct: "" (the encoder's choice) for text and SMIL, which go 8bit
// when they can, else --transfer-encoding.
func (f *contentFlags) mediaTransferEncoding(ct string) string {
	mt := strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	if strings.HasPrefix(mt, "text/") || mt == "application/smil" {
		return ""
	}
	return strings.ToLower(f.transferEncoding)
}
