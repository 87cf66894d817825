package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7test"
)

func init() {
	register(&command{name: "demo", usage: "[--keep] [--version 6.8.0|5.5.0] [--timeout D] [-v]",
		short: "run the simulator and the receiver on loopback, send an MMS, receive its delivery report and an MO",
		long: `The demo starts, in this process and on free loopback ports, the MMSC
simulator (mm7 sim) and the receiver (mm7 serve, storing into a temporary
directory), then:
  1. sends an MMS (text + a PNG drawn in code) with a delivery report
     requested, through the simulator, as mm7 send does;
  2. waits for the delivery report to be stored by the receiver;
  3. makes the simulator send an MO message (text + image) and waits for it.
It prints each step on stdout and removes the directory unless --keep.

Exit codes: 0 every step worked; 1 a step failed or timed out; 2 usage.`,
		run: runDemo})
}

// demoAddresses are the (invented) addresses of the demo.
const (
	demoShortCode = "12345"
	demoHandset   = "15555550123"
)

func runDemo(ctx context.Context, e *env, args []string) int {
	c := commands["demo"]
	fs := newFlags(e, c)
	keep := fs.Bool("keep", false, "keep the receiver's directory")
	version := fs.String("version", "6.8.0", "MM7 version to send in: 6.8.0 or 5.5.0")
	timeout := fs.Duration("timeout", 20*time.Second, "longest wait for each step")
	verbose := fs.Bool("v", false, "log what the simulator and the receiver do on stderr")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	v, err := mm7.ParseVersion(*version)
	if err != nil || fs.NArg() > 0 || *timeout <= 0 {
		fmt.Fprintf(e.stderr, "mm7 demo: bad arguments: want --version 6.8.0 or 5.5.0 and a positive --timeout. Try 'mm7 demo -h'.\n")
		return exitUsage
	}
	d := &demo{e: e, version: v, timeout: *timeout, keep: *keep, log: slog.New(slog.DiscardHandler)}
	if *verbose {
		d.log = newLogger(e.stderr, true)
	}
	if err := d.run(ctx); err != nil {
		return fail(e, c.name, exitFail, err)
	}
	return exitOK
}

// demo is one run of mm7 demo.
type demo struct {
	e       *env
	version mm7.Version
	timeout time.Duration
	keep    bool
	log     *slog.Logger
	step    int
	saved   chan *saveResult
}

// say prints a numbered step.
func (d *demo) say(format string, a ...any) {
	d.step++
	fmt.Fprintf(d.e.stdout, "%d. %s\n", d.step, fmt.Sprintf(format, a...))
}

func (d *demo) run(ctx context.Context) (err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	dir, err := os.MkdirTemp("", "mm7-demo-")
	if err != nil {
		return err
	}
	defer func() {
		if d.keep {
			fmt.Fprintf(d.e.stdout, "The receiver's files are in %s\n", dir)
			return
		}
		if rerr := os.RemoveAll(dir); rerr != nil && err == nil {
			err = rerr
		}
	}()
	fmt.Fprintln(d.e.stdout, "mm7 demo: an MMSC simulator and a VASP receiver on loopback, in this process.")

	// Credentials each side checks, made up for this run.
	vaspUser, vaspPass := "demo-vasp", mm7.Secret("vasp-"+randomHex(8))
	mmscUser, mmscPass := "demo-mmsc", mm7.Secret("mmsc-"+randomHex(8))

	d.saved = make(chan *saveResult, 16)
	rc, err := startServe(ctx, serveConfig{addr: "127.0.0.1:0", path: "/mm7", out: filepath.Join(dir, "inbox"),
		user: mmscUser, password: mmscPass, log: d.log.With("who", "serve"),
		onSaved: func(r *saveResult) {
			select {
			case d.saved <- r:
			default:
			}
		}})
	if err != nil {
		return fmt.Errorf("start the receiver: %w", err)
	}
	defer func() {
		cancel()
		rc.Wait() //nolint:errcheck // shutting down; the steps' outcome is what counts
	}()
	vaspURL := "http://" + rc.Addr + "/mm7"
	d.say("Started the receiver (mm7 serve) at %s, storing what it receives in %s.", vaspURL, rc.Root)

	sim, err := startSim(ctx, simConfig{addr: "127.0.0.1:0", logger: d.log.With("who", "sim"), opts: mm7test.Options{
		Username: vaspUser, Password: vaspPass,
		VASPURL: vaspURL, VASPUsername: mmscUser, VASPPassword: mmscPass,
		DeliveryReportDelay: 300 * time.Millisecond,
		MessageIDPrefix:     "demo-",
		RelayServerID:       "mm7go demo sim",
	}})
	if err != nil {
		return fmt.Errorf("start the simulator: %w", err)
	}
	defer sim.stop() //nolint:errcheck // shutting down
	d.say("Started the MMSC simulator (mm7 sim) at %s; it sends delivery reports and MO messages to the receiver.", sim.url)

	// 1. MT with a delivery report.
	img := demoPNG()
	client, err := mm7.NewClient(sim.url, mm7.WithBasicAuth(vaspUser, vaspPass),
		func(o *mm7.Options) { o.Versions = []mm7.Version{d.version}; o.Logger = d.log.With("who", "send") })
	if err != nil {
		return err
	}
	sctx, scancel := context.WithTimeout(ctx, d.timeout)
	res, err := client.Submit(sctx, &rel6.SubmitReq{
		SenderIdentification: rel6.SenderID{SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: demoShortCode}}},
		Recipients:           rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: demoHandset}}}}},
		Subject:              new("mm7go demo"),
		DeliveryReport:       new(true),
	}, []mm7.Attachment{
		{ContentType: "text/plain", ContentLocation: "hello.txt", Body: strings.NewReader("Hello from the mm7go demo!")},
		{ContentType: "image/png", ContentLocation: "demo.png", Body: bytes.NewReader(img)},
	})
	scancel()
	if err != nil {
		return fmt.Errorf("send the MMS: %w", err)
	}
	d.say("Sent an MMS from short code %s to %s (a text and a %d-byte PNG, delivery report requested) in MM7 %s: the simulator answered %d %s with MessageID %s.",
		demoShortCode, demoHandset, len(img), versionLabel(res.Version), int(res.Status), res.StatusText, res.MessageID)

	// 2. Its delivery report: stored by the receiver, or given up by the
	// simulator (the receiver refused it or was unreachable), whichever
	// happens first (--timeout bounds the wait).
	rctx, rcancel := context.WithCancel(ctx)
	dlr, err := d.wait(ctx, "the delivery report", reportFailures(rctx, sim.mmsc, res.MessageID), func(r *saveResult) bool {
		return r.Kind == kindDeliveryReport && r.Summary.messageID == res.MessageID
	})
	rcancel()
	if err != nil {
		return err
	}
	d.say("The delivery report arrived: %s for %s. The receiver stored it in %s and only then answered 1000 Success.",
		dlr.Summary.status, dlr.Summary.recipient, filepath.Join(dlr.Dir, messageFile))

	// 3. An MO message.
	mctx, mcancel := context.WithTimeout(ctx, d.timeout)
	mo, err := simDeliver(mctx, sim.mmsc, "", simMO{From: demoHandset, To: demoShortCode, Subject: "Reply",
		Text: "Thanks! Here is my picture.", ImageBase64: base64.StdEncoding.EncodeToString(img), ImageType: "image/png",
		Version: versionLabel(d.version)})
	mcancel()
	if err != nil {
		return fmt.Errorf("send the MO message: %w", err)
	}
	d.say("The simulator sent an MO message from %s to %s (a text and an image): the receiver answered %d %s.",
		demoHandset, demoShortCode, int(mo.Status), mo.StatusText)
	got, err := d.wait(ctx, "the MO message", nil, func(r *saveResult) bool {
		return r.Kind == kindDeliver && r.TransactionID == mo.TransactionID
	})
	if err != nil {
		return err
	}
	if err := checkStoredImage(got.Dir, img); err != nil {
		return fmt.Errorf("the stored MO message: %w", err)
	}
	d.say("The MO message is stored in %s with %d attachments; the image is byte for byte the one sent.", got.Dir, got.Attachments)

	fmt.Fprintln(d.e.stdout, "Done: an MMS sent, its delivery report received, an MO message received.")
	if !d.keep {
		fmt.Fprintln(d.e.stdout, "The receiver's files are removed now (mm7 demo --keep keeps them).")
	}
	return nil
}

// wait waits for the receiver to store a message that match accepts, and
// gives up as soon as failed delivers an error (a nil failed never does),
// or after d.timeout.
func (d *demo) wait(ctx context.Context, what string, failed <-chan error, match func(*saveResult) bool) (*saveResult, error) {
	t := time.NewTimer(d.timeout)
	defer t.Stop()
	for {
		select {
		case r := <-d.saved:
			if match(r) {
				return r, nil
			}
		case err := <-failed:
			return nil, fmt.Errorf("waiting for %s: %w", what, err)
		case <-t.C:
			return nil, fmt.Errorf("waiting for %s: timed out after %s", what, d.timeout)
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		}
	}
}

// reportFailures returns a channel that receives an error once the
// simulator has given up a delivery report about messageID: its exchange
// with the receiver ended without 1000 Success, so waiting for the
// receiver to store it would be in vain. The watch ends with ctx.
func reportFailures(ctx context.Context, mmsc *mm7test.MMSC, messageID string) <-chan error {
	failed := make(chan error, 1)
	go func() {
		for n := 1; ; n++ {
			reps, err := mmsc.WaitReports(ctx, n)
			if err != nil {
				return
			}
			if r := reps[n-1]; r.MessageID == messageID && r.Err != nil {
				failed <- fmt.Errorf("the simulator sent it to %s, which did not accept it: %w", r.URL, r.Err)
				return
			}
		}
	}()
	return failed
}

// checkStoredImage checks that the message in dir has an image/png
// attachment equal to want.
func checkStoredImage(dir string, want []byte) error {
	data, err := os.ReadFile(filepath.Join(dir, messageFile))
	if err != nil {
		return err
	}
	var m storedMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	sum := sha256.Sum256(want)
	for _, a := range m.Attachments {
		if !strings.HasPrefix(a.ContentType, "image/png") {
			continue
		}
		got, err := os.ReadFile(filepath.Join(dir, a.File))
		if err != nil {
			return err
		}
		if !bytes.Equal(got, want) || a.SHA256 != fmt.Sprintf("%x", sum) {
			return fmt.Errorf("%s differs from the image sent", a.File)
		}
		return nil
	}
	return errors.New("no image/png attachment")
}

// demoPNG returns a small valid PNG: a 48x48 gradient with a white square,
// drawn in code so that the demo needs no file.
func demoPNG() []byte {
	const n = 48
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	for y := range n {
		for x := range n {
			c := color.RGBA{R: uint8(x * 255 / n), G: uint8(y * 255 / n), B: 0xa0, A: 0xff}
			if x >= 16 && x < 32 && y >= 16 && y < 32 {
				c = color.RGBA{0xff, 0xff, 0xff, 0xff}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img) //nolint:errcheck // encoding an in-memory RGBA into a bytes.Buffer does not fail
	return buf.Bytes()
}
