package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/openmms/mm7go/internal/msgview"
	"github.com/openmms/mm7go/mm7"
)

func init() {
	register(&command{name: "inspect", usage: "[--content-type TYPE] FILE|-",
		short: "decode an MM7 message (raw HTTP, MIME or SOAP/XML) and print it as one JSON object", run: runInspect})
}

type inspectAttachment struct {
	ContentType     string `json:"content_type"`
	ContentID       string `json:"content_id"`
	ContentLocation string `json:"content_location"`
	Size            int64  `json:"size"`
	SHA256          string `json:"sha256"`
}

type inspectDeviation struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

type inspectOutput struct {
	Kind          string              `json:"kind"`
	Version       string              `json:"version"`
	Schema        string              `json:"schema"`
	Namespace     string              `json:"namespace"`
	TransactionID string              `json:"transaction_id"`
	Message       any                 `json:"message"`
	Attachments   []inspectAttachment `json:"attachments"`
	Deviations    []inspectDeviation  `json:"deviations"`
	// Unknown is what the typed message cannot hold (msgview.UnknownOf).
	Unknown []msgview.Unknown `json:"unknown"`
}

func runInspect(_ context.Context, e *env, args []string) int {
	c := commands["inspect"]
	fs := newFlags(e, c)
	ct := fs.String("content-type", "", "Content-Type of FILE when it has no headers of its own")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	data, err := readInput(e, fs.Arg(0))
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	out, err := inspect(inputName(fs.Arg(0)), data, *ct)
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fail(e, c.name, exitFail, err)
	}
	return exitOK
}

func readInput(e *env, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(io.LimitReader(e.stdin, 64<<20))
	}
	return os.ReadFile(name)
}

// inspect decodes the file name holds; errors name it.
func inspect(name string, data []byte, contentType string) (*inspectOutput, error) {
	raw, err := parseInput(name, data, contentType)
	if err != nil {
		return nil, err
	}
	dec, err := mm7.NewDecoder(bytesReader(raw.Body), raw.ContentType, mm7.DecodeOptions{})
	if err != nil {
		return nil, err
	}
	msg, err := dec.Message()
	if err != nil {
		return nil, fmt.Errorf("%s is not an MM7 message: %w", name, err)
	}
	out := &inspectOutput{Kind: msg.Kind(), Version: msg.Version.MM7Version, Schema: msg.Version.Schema,
		Namespace: msg.Version.Namespace, TransactionID: msg.TransactionID, Attachments: []inspectAttachment{}, Deviations: []inspectDeviation{}}
	out.Message, err = messageJSON(msg.Body)
	if err != nil {
		return nil, err
	}
	out.Unknown = msgview.UnknownOf(msg)
	for {
		a, err := dec.NextAttachment()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		h := sha256.New()
		n, err := io.Copy(h, a.Body)
		if err != nil {
			return nil, fmt.Errorf("%s: attachment %s: %w", name, a.ContentID, err)
		}
		out.Attachments = append(out.Attachments, inspectAttachment{a.ContentType, a.ContentID, a.ContentLocation, n, hex.EncodeToString(h.Sum(nil))})
	}
	for _, d := range dec.Deviations() {
		out.Deviations = append(out.Deviations, inspectDeviation{string(d.Code), d.Text})
	}
	return out, nil
}

// messageJSON renders a generated message (or Fault) as JSON with the Go
// field names: msgview.Body, shared by inspect and serve's message.json.
// Values the message lacks (a mandatory Date a lenient decode let
// through) are absent, never an error; the error result is always nil
// and kept for the callers' signature.
func messageJSON(body any) (any, error) {
	return msgview.Body(body), nil
}
