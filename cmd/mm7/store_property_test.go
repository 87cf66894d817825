package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/internal/rawmsg"
	"github.com/openmms/mm7go/mm7"
)

// A storeInput is one request body to store.
type storeInput struct {
	name, contentType string
	body              []byte
}

// storeCorpus returns the quirk and broken fixtures and the fuzz seeds
// of the mm7 package.
func storeCorpus(t *testing.T) []storeInput {
	t.Helper()
	var list []storeInput
	for _, dir := range []string{"quirks", "broken"} {
		files, err := filepath.Glob(filepath.Join("..", "..", "mm7", "testdata", dir, "*.http"))
		require.NoError(t, err)
		require.NotEmpty(t, files, dir)
		for _, f := range files {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			raw, err := rawmsg.Parse(data, "")
			if err != nil {
				continue
			}
			list = append(list, storeInput{dir + "/" + filepath.Base(f), raw.ContentType, raw.Body})
		}
	}
	seeds, err := filepath.Glob(filepath.Join("..", "..", "mm7", "testdata", "fuzz", "*", "*"))
	require.NoError(t, err)
	for _, f := range seeds {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if len(lines) < 2 || lines[0] != "go test fuzz v1" {
			continue
		}
		var vals []string
		for _, l := range lines[1:] {
			l = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(l, "[]byte("), "string("), ")")
			v, err := strconv.Unquote(l)
			require.NoError(t, err, f)
			vals = append(vals, v)
		}
		ct := `text/xml; charset="utf-8"`
		if len(vals) > 1 {
			ct = vals[1]
		}
		list = append(list, storeInput{"fuzz/" + filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f), ct, []byte(vals[0])})
	}
	return list
}

// accepted reports whether the decoder accepts the whole body, and
// returns its envelope and kind.
func accepted(in storeInput) (env []byte, kind, tx string, ok bool) {
	dec, err := mm7.NewDecoder(bytes.NewReader(in.body), in.contentType, mm7.DecodeOptions{})
	if err != nil {
		return nil, "", "", false
	}
	msg, err := dec.Message()
	if err != nil {
		return nil, "", "", false
	}
	for {
		a, err := dec.NextAttachment()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", "", false
		}
		if _, err := io.Copy(io.Discard, a.Body); err != nil {
			return nil, "", "", false
		}
	}
	return dec.Envelope(), msg.Kind(), msg.TransactionID, true
}

// serveOnce posts a body to h and returns the HTTP status and the reply.
func serveOnce(t *testing.T, h http.Handler, ct string, body []byte) (int, *mm7.Message) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	resp := rec.Result()
	dec, err := mm7.NewDecoder(resp.Body, resp.Header.Get("Content-Type"), mm7.DecodeOptions{})
	require.NoError(t, err)
	m, err := dec.Message()
	require.NoError(t, err, "reply: %s", rec.Body.String())
	return resp.StatusCode, m
}

// Every request of a stored kind that the decoder accepts is stored by
// serve and acknowledged with 1000, with its envelope byte for byte; sent
// again, it is a repeat.
func TestStoreEveryAcceptedInput(t *testing.T) {
	t.Parallel()
	st, err := openStore(t.TempDir())
	require.NoError(t, err)
	defer st.close()
	h := newServeHandler(st, serveConfig{}, nil)
	stored := 0
	for _, in := range storeCorpus(t) {
		env, kind, tx, ok := accepted(in)
		if !ok || storeKinds[kind] == "" || strings.TrimSpace(tx) == "" {
			continue
		}
		t.Run(in.name, func(t *testing.T) {
			before := len(dirNames(t, filepath.Join(st.root, storeKinds[kind])))
			code, rsp := serveOnce(t, h, in.contentType, in.body)
			require.Equal(t, http.StatusOK, code)
			require.Equal(t, mm7.StatusSuccess, status(t, rsp))
			names := dirNames(t, filepath.Join(st.root, storeKinds[kind]))
			require.Len(t, names, before+1, "stored")
			var found bool
			for _, n := range names {
				got, err := os.ReadFile(filepath.Join(st.root, storeKinds[kind], n, envelopeFile))
				require.NoError(t, err)
				if bytes.Equal(got, env) {
					found = true
					m := readJSON(t, filepath.Join(st.root, storeKinds[kind], n, messageFile))
					assert.Equal(t, kind, m.Kind)
					assert.Equal(t, n, m.ID)
					assert.Len(t, m.ContentSHA256, 64)
				}
			}
			assert.True(t, found, "envelope.xml as received")
			code, rsp = serveOnce(t, h, in.contentType, in.body)
			require.Equal(t, http.StatusOK, code)
			require.Equal(t, mm7.StatusSuccess, status(t, rsp))
			assert.Len(t, dirNames(t, filepath.Join(st.root, storeKinds[kind])), before+1, "the repeat is not stored again")
		})
		stored++
	}
	assert.GreaterOrEqual(t, stored, 10, "the corpus holds stored kinds")
	assert.Empty(t, dirNames(t, filepath.Join(st.root, tmpDir)))
}

// A body the renderer cannot turn into JSON is stored all the same and
// acknowledged: sending it again cannot help.
func TestStoreRenderFailureIsNotRetried(t *testing.T) {
	t.Parallel()
	for name, render := range map[string]func(any) (any, error){
		"error": func(any) (any, error) { return nil, errors.New("no JSON for this") },
		"panic": func(any) (any, error) { panic("renderer bug") },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st, err := openStore(t.TempDir())
			require.NoError(t, err)
			defer st.close()
			st.render = render
			h := newServeHandler(st, serveConfig{}, nil)
			msg, atts, img := moMessage("render-" + name)
			ct, body := encodeMessage(t, msg, atts...)
			code, rsp := serveOnce(t, h, ct, body)
			require.Equal(t, http.StatusOK, code)
			assert.Equal(t, mm7.StatusSuccess, status(t, rsp))
			dir := filepath.Join(st.root, kindDeliver, "render-"+name)
			m := readJSON(t, filepath.Join(dir, messageFile))
			assert.Nil(t, m.Message)
			assert.Contains(t, m.MessageError, map[string]string{"error": "no JSON for this", "panic": "renderer bug"}[name])
			env, err := os.ReadFile(filepath.Join(dir, envelopeFile))
			require.NoError(t, err)
			assert.Contains(t, string(env), "<Subject>Photo</Subject>")
			data, err := os.ReadFile(filepath.Join(dir, "passwd.png"))
			require.NoError(t, err)
			assert.Equal(t, img, data)
		})
	}
}

// Concurrent saves of different messages share their syncs; every one is
// stored and acknowledged, and a second store on the directory is refused.
func TestStoreConcurrentAndLocked(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	st, err := openStore(root)
	require.NoError(t, err)
	defer st.close()
	_, err = openStore(root)
	require.ErrorContains(t, err, "in use by another mm7 serve")
	h := newServeHandler(st, serveConfig{}, nil)
	const n = 24
	errs := make(chan error, n)
	for i := range n {
		go func() {
			msg, atts, _ := moMessage("conc-" + strconv.Itoa(i))
			msg.Body.(*rel6.DeliverReq).Subject = new("s" + strconv.Itoa(i%3))
			enc, err := mm7.NewEncoder(msg, atts, mm7.EncodeOptions{})
			if err != nil {
				errs <- err
				return
			}
			var buf bytes.Buffer
			if _, err := enc.WriteTo(&buf); err != nil {
				errs <- err
				return
			}
			req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/", &buf)
			req.Header.Set("Content-Type", enc.ContentType())
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				errs <- errors.New(rec.Body.String())
				return
			}
			errs <- nil
		}()
	}
	for range n {
		require.NoError(t, <-errs)
	}
	assert.Len(t, dirNames(t, filepath.Join(root, kindDeliver)), n)
}
