package mm7_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

func TestStatusErrorError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *mm7.StatusError
		want string
	}{
		{
			"canonical text only",
			&mm7.StatusError{Code: mm7.StatusUnsupportedVersion},
			"mm7: status 4002 (Unsupported version)",
		},
		{
			"peer text equal but for case and spaces",
			&mm7.StatusError{Code: mm7.StatusMultipleAddressesNotSupported, Text: " multiple addresses NOT supported \n"},
			"mm7: status 3003 (Multiple addresses not supported)",
		},
		{
			"peer text that says more",
			&mm7.StatusError{Code: mm7.StatusAddressError, Text: "Recipient +15551234567 not served", Version: "REL-6-MM7-1-4"},
			"mm7: status 2002 (Address Error): Recipient +15551234567 not served",
		},
		{
			"details",
			&mm7.StatusError{Code: mm7.StatusValidationError, Text: "Validation error", Details: "line 3: To\n  is missing"},
			"mm7: status 4004 (Validation error); details: line 3: To is missing",
		},
		{
			"unknown code described by its class",
			&mm7.StatusError{Code: 2571, Text: "Destination blocked"},
			"mm7: status 2571 (client error): Destination blocked",
		},
		{
			"Vibes capacity",
			&mm7.StatusError{Code: mm7.StatusServiceError, Text: "Platform reach the capacity"},
			"mm7: status 4005 (Service error): Platform reach the capacity",
		},
		{
			"code outside the classes",
			&mm7.StatusError{Code: 999},
			"mm7: status 999 (unknown)",
		},
		{
			"control characters and invalid UTF-8 sanitised",
			&mm7.StatusError{Code: mm7.StatusServerError, Text: "bad\x00\x1b[31m\xffthing\r\n\tinjected: line"},
			"mm7: status 3000 (Server Error): bad [31m thing injected: line",
		},
		{
			"non-ASCII peer text kept",
			&mm7.StatusError{Code: mm7.StatusAddressError, Text: "地址错误"},
			"mm7: status 2002 (Address Error): 地址错误",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.EqualError(t, tt.err, tt.want)
		})
	}

	t.Run("long peer text truncated", func(t *testing.T) {
		t.Parallel()
		e := &mm7.StatusError{
			Code:    mm7.StatusServerError,
			Text:    strings.Repeat("x", 10<<10),
			Details: strings.Repeat("€", 10<<10), // 3-byte runes: the cut must not split one
		}
		msg := e.Error()
		assert.Less(t, len(msg), 500)
		assert.True(t, strings.HasPrefix(msg, "mm7: status 3000 (Server Error): xxxx"), msg)
		assert.Contains(t, msg, "x...; details: €€")
		assert.True(t, strings.HasSuffix(msg, "€..."), msg)
		assert.True(t, isValidUTF8(msg))
	})
}

func TestNilErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"StatusError", (*mm7.StatusError)(nil), "mm7: <nil StatusError>"},
		{"FaultError", (*mm7.FaultError)(nil), "mm7: <nil FaultError>"},
		{"HTTPError", (*mm7.HTTPError)(nil), "mm7: <nil HTTPError>"},
		{"TransactionMismatchError", (*mm7.TransactionMismatchError)(nil), "mm7: <nil TransactionMismatchError>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.NotPanics(t, func() { assert.Equal(t, tt.want, tt.err.Error()) })
		})
	}
	assert.False(t, (*mm7.HTTPError)(nil).Temporary())
	assert.False(t, (*mm7.StatusError)(nil).Is(&mm7.StatusError{}))
}

func isValidUTF8(s string) bool { return strings.ToValidUTF8(s, "?") == s }

func TestStatusErrorTemporary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *mm7.StatusError
		want bool
	}{
		{"server error", &mm7.StatusError{Code: mm7.StatusServerError}, true},
		{"service unavailable", &mm7.StatusError{Code: mm7.StatusServiceUnavailable}, true},
		{"service error is final under 3GPP", &mm7.StatusError{Code: mm7.StatusServiceError}, false},
		{"client error", &mm7.StatusError{Code: mm7.StatusAddressError}, false},
		{"unknown", &mm7.StatusError{Code: 3500}, false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.err.Temporary())
		})
	}
}

func TestStatusErrorIsAs(t *testing.T) {
	t.Parallel()
	se := &mm7.StatusError{Code: mm7.StatusUnsupportedVersion, Text: "Version 5.5.0 not supported", Version: "REL-5-MM7-1-2"}
	wrapped := fmt.Errorf("submit: %w", se)
	twice := fmt.Errorf("send to vibes: %w", wrapped)

	tests := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"same code, other fields differ", twice, &mm7.StatusError{Code: 4002}, true},
		{"constant", wrapped, &mm7.StatusError{Code: mm7.StatusUnsupportedVersion}, true},
		{"itself", se, se, true},
		{"other code", twice, &mm7.StatusError{Code: mm7.StatusValidationError}, false},
		{"zero code is no wildcard", twice, &mm7.StatusError{}, false},
		{"nil *StatusError target", twice, (*mm7.StatusError)(nil), false},
		{"other error type", twice, errors.New("mm7: status 4002 (Unsupported version)"), false},
		{"inside a fault", fmt.Errorf("x: %w", &mm7.FaultError{Code: "env:Client", Status: se}), &mm7.StatusError{Code: 4002}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, errors.Is(tt.err, tt.target))
		})
	}

	t.Run("errors.As through wrapping", func(t *testing.T) {
		t.Parallel()
		var got *mm7.StatusError
		require.ErrorAs(t, twice, &got)
		assert.Same(t, se, got)
		assert.Equal(t, "send to vibes: submit: mm7: status 4002 (Unsupported version): Version 5.5.0 not supported", twice.Error())
	})
	t.Run("errors.AsType through wrapping", func(t *testing.T) {
		t.Parallel()
		got, ok := errors.AsType[*mm7.StatusError](twice)
		require.True(t, ok)
		assert.Equal(t, mm7.StatusUnsupportedVersion, got.Code)
	})
}

func TestFaultErrorError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *mm7.FaultError
		want string
	}{
		{
			"with status",
			&mm7.FaultError{Code: "env:Client", String: "Client error", HTTPStatus: 500,
				Status: &mm7.StatusError{Code: mm7.StatusAddressError, Text: "Address Error"}},
			"mm7: soap fault env:Client: Client error: status 2002 (Address Error)",
		},
		{
			"faultstring repeating the status text left out",
			&mm7.FaultError{Code: "Server", String: "server error",
				Status: &mm7.StatusError{Code: mm7.StatusServerError}},
			"mm7: soap fault Server: status 3000 (Server Error)",
		},
		{
			"faultstring repeating the peer's status text left out",
			&mm7.FaultError{Code: "env:Client", String: "Destination blocked",
				Status: &mm7.StatusError{Code: 2571, Text: "Destination blocked"}},
			"mm7: soap fault env:Client: status 2571 (client error): Destination blocked",
		},
		{
			"without status",
			&mm7.FaultError{Code: "soap:Server", String: "java.lang.NullPointerException\n\tat com.example.Mmsc"},
			"mm7: soap fault soap:Server: java.lang.NullPointerException at com.example.Mmsc",
		},
		{
			"empty",
			&mm7.FaultError{},
			"mm7: soap fault",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.EqualError(t, tt.err, tt.want)
		})
	}

	t.Run("long faultstring truncated", func(t *testing.T) {
		t.Parallel()
		e := &mm7.FaultError{Code: strings.Repeat("C", 1000), String: strings.Repeat("s ", 5000)}
		assert.Less(t, len(e.Error()), 400)
	})
}

func TestFaultErrorUnwrap(t *testing.T) {
	t.Parallel()

	t.Run("with status", func(t *testing.T) {
		t.Parallel()
		se := &mm7.StatusError{Code: mm7.StatusAddressError}
		fe := &mm7.FaultError{Code: "env:Client", String: "Client error", HTTPStatus: 500, Status: se}
		err := fmt.Errorf("submit: %w", fe)

		assert.Same(t, se, fe.Unwrap())

		var gotSE *mm7.StatusError
		require.ErrorAs(t, err, &gotSE)
		assert.Same(t, se, gotSE)

		var gotFE *mm7.FaultError
		require.ErrorAs(t, err, &gotFE)
		assert.Same(t, fe, gotFE)
		assert.Equal(t, 500, gotFE.HTTPStatus)
	})

	t.Run("without status", func(t *testing.T) {
		t.Parallel()
		fe := &mm7.FaultError{Code: "env:Server", String: "Internal error"}
		err := fmt.Errorf("submit: %w", fe)

		// Unwrap must return an untyped nil: an error interface holding a
		// nil *StatusError is not == nil.
		assert.True(t, fe.Unwrap() == nil, "Unwrap returned a typed nil")

		var gotSE *mm7.StatusError
		assert.False(t, errors.As(err, &gotSE))
		assert.Nil(t, gotSE)
		_, ok := errors.AsType[*mm7.StatusError](err)
		assert.False(t, ok)
		assert.False(t, errors.Is(err, &mm7.StatusError{Code: mm7.StatusServerError}))

		gotFE, ok := errors.AsType[*mm7.FaultError](err)
		require.True(t, ok)
		assert.Same(t, fe, gotFE)
	})

	t.Run("nil receiver", func(t *testing.T) {
		t.Parallel()
		var fe *mm7.FaultError
		assert.True(t, fe.Unwrap() == nil)
		assert.False(t, fe.Temporary())
	})
}

func TestFaultErrorTemporary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *mm7.FaultError
		want bool
	}{
		{"status decides over faultcode", &mm7.FaultError{Code: "env:Client", Status: &mm7.StatusError{Code: mm7.StatusServiceUnavailable}}, true},
		{"final status in a Server fault", &mm7.FaultError{Code: "env:Server", Status: &mm7.StatusError{Code: mm7.StatusServiceError}}, false},
		{"Server fault without status", &mm7.FaultError{Code: "env:Server"}, true},
		{"unprefixed Server", &mm7.FaultError{Code: " Server "}, true},
		{"Server subcode", &mm7.FaultError{Code: "soap:Server.Busy"}, true},
		{"SOAP 1.2 Receiver", &mm7.FaultError{Code: "env:Receiver"}, true},
		{"Client fault without status", &mm7.FaultError{Code: "env:Client"}, false},
		{"unknown faultcode", &mm7.FaultError{Code: "env:MustUnderstand"}, false},
		{"empty", &mm7.FaultError{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.err.Temporary())
		})
	}
}

func TestHTTPErrorError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *mm7.HTTPError
		want string
	}{
		{
			"html body",
			&mm7.HTTPError{StatusCode: 413, Status: "413 Request Entity Too Large", ContentType: "text/html",
				Body: []byte("<html>\r\n  <body>\tToo   large</body>\n</html>\n")},
			"mm7: unexpected http response 413 Request Entity Too Large (text/html): Too large",
		},
		{
			"html page: its title, not its markup",
			&mm7.HTTPError{StatusCode: 502, Status: "502 Bad Gateway", ContentType: "text/html; charset=utf-8",
				Body: []byte("<!DOCTYPE html>\n<html><head><style>body{color:red}</style><title>502 Bad Gateway &amp; more</title></head>" +
					"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")},
			"mm7: unexpected http response 502 Bad Gateway (text/html; charset=utf-8): 502 Bad Gateway & more",
		},
		{
			"html page without title, labelled text/plain: first words",
			&mm7.HTTPError{StatusCode: 500, Status: "500 Internal Server Error", ContentType: "text/plain",
				Body: []byte("<html><head><script>var x = '<b>';</script></head><!-- <p>hidden</p> --><body><h1>Oops</h1><p>Try&nbsp;again later.</p></body></html>")},
			"mm7: unexpected http response 500 Internal Server Error (text/plain): Oops Try again later.",
		},
		{
			"no status line, no body",
			&mm7.HTTPError{StatusCode: 502},
			"mm7: unexpected http response 502 Bad Gateway",
		},
		{
			"unknown status code",
			&mm7.HTTPError{StatusCode: 599},
			"mm7: unexpected http response 599",
		},
		{
			"blank body",
			&mm7.HTTPError{StatusCode: 401, Status: "401 Unauthorized", ContentType: "text/plain", Body: []byte(" \r\n ")},
			"mm7: unexpected http response 401 Unauthorized (text/plain)",
		},
		{
			"binary garbage",
			&mm7.HTTPError{StatusCode: 500, Status: "500 Internal Server Error", ContentType: "application/octet-stream",
				Body: []byte("\x00\x01\x02GIF89a\x80\x81\xfe\xff \x00ok\x7f\x1b")},
			"mm7: unexpected http response 500 Internal Server Error (application/octet-stream): .GIF89a.ok.",
		},
		{
			"non-ASCII text",
			&mm7.HTTPError{StatusCode: 503, Body: []byte("服务不可用 (busy)")},
			"mm7: unexpected http response 503 Service Unavailable: . (busy)",
		},
		{
			"hostile status line and content type",
			&mm7.HTTPError{StatusCode: 500, Status: "500 Oops\r\nX-Injected: 1", ContentType: "text/html;\x00 charset=utf-8"},
			"mm7: unexpected http response 500 Oops X-Injected: 1 (text/html;. charset=utf-8)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.EqualError(t, tt.err, tt.want)
		})
	}

	t.Run("10 KB body", func(t *testing.T) {
		t.Parallel()
		body := bytes.Repeat([]byte("<p>Service temporarily overloaded</p>\n"), 10<<10/38+1)
		require.Greater(t, len(body), 10<<10)
		e := &mm7.HTTPError{StatusCode: 503, Status: "503 Service Unavailable", ContentType: "text/html", Body: body}
		msg := e.Error()
		assert.Less(t, len(msg), 300)
		assert.Less(t, len(msg), 200, "an HTML page is summarised in its first words")
		assert.True(t, strings.HasPrefix(msg, "mm7: unexpected http response 503 Service Unavailable (text/html): Service temporarily overloaded Service"), msg)
		assert.NotContains(t, msg, "<p>")
		assert.True(t, strings.HasSuffix(msg, "..."), msg)
		assertPrintableASCII(t, msg)
	})

	t.Run("10 KB binary garbage", func(t *testing.T) {
		t.Parallel()
		body := make([]byte, 10<<10)
		for i := range body {
			body[i] = byte(i*131 + i/7) // every byte value, printable ones scattered
		}
		e := &mm7.HTTPError{StatusCode: 500, Body: body}
		msg := e.Error()
		assert.Less(t, len(msg), 300)
		assertPrintableASCII(t, msg)
		assert.NotContains(t, msg, "  ")
	})

	t.Run("runs collapse", func(t *testing.T) {
		t.Parallel()
		body := append(bytes.Repeat([]byte("\x00\xff \x01\t"), 100), "end \x00\x00"...)
		e := &mm7.HTTPError{StatusCode: 500, Body: body}
		assert.Equal(t, "mm7: unexpected http response 500 Internal Server Error: . end .", e.Error())
	})

	t.Run("only the first 512 bytes are quoted", func(t *testing.T) {
		t.Parallel()
		body := []byte("short" + strings.Repeat(" ", 600) + "hidden")
		e := &mm7.HTTPError{StatusCode: 500, Body: body}
		assert.Equal(t, "mm7: unexpected http response 500 Internal Server Error: short...", e.Error())
	})

	t.Run("excerpt exactly at the limit is not marked", func(t *testing.T) {
		t.Parallel()
		e := &mm7.HTTPError{StatusCode: 500, Body: bytes.Repeat([]byte("a"), 200)}
		assert.Equal(t, "mm7: unexpected http response 500 Internal Server Error: "+strings.Repeat("a", 200), e.Error())
		e.Body = append(e.Body, 'b')
		assert.Equal(t, "mm7: unexpected http response 500 Internal Server Error: "+strings.Repeat("a", 200)+"...", e.Error())
	})
}

func assertPrintableASCII(t *testing.T, s string) {
	t.Helper()
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			assert.Failf(t, "not printable ASCII", "byte %#x at %d in %q", s[i], i, s)
			return
		}
	}
}

func TestNewHTTPError(t *testing.T) {
	t.Parallel()

	t.Run("body capped at 512 bytes", func(t *testing.T) {
		t.Parallel()
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		rec.WriteHeader(http.StatusRequestEntityTooLarge)
		_, _ = rec.Write(bytes.Repeat([]byte("x"), 10<<10))
		resp := rec.Result()
		defer resp.Body.Close()

		e := mm7.NewHTTPError(resp)
		assert.Equal(t, http.StatusRequestEntityTooLarge, e.StatusCode)
		assert.Equal(t, "413 Request Entity Too Large", e.Status)
		assert.Equal(t, "text/html; charset=iso-8859-1", e.ContentType)
		assert.Len(t, e.Body, 512)
		assert.False(t, e.Temporary())

		rest, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Len(t, rest, 10<<10-512, "NewHTTPError reads no more than 512 bytes")
	})

	t.Run("empty body", func(t *testing.T) {
		t.Parallel()
		rec := httptest.NewRecorder()
		rec.WriteHeader(http.StatusBadGateway)
		resp := rec.Result()
		defer resp.Body.Close()

		e := mm7.NewHTTPError(resp)
		assert.Equal(t, &mm7.HTTPError{StatusCode: 502, Status: "502 Bad Gateway"}, e)
		assert.EqualError(t, e, "mm7: unexpected http response 502 Bad Gateway")
	})

	t.Run("nil body", func(t *testing.T) {
		t.Parallel()
		e := mm7.NewHTTPError(&http.Response{StatusCode: 401, Header: http.Header{}})
		assert.Equal(t, &mm7.HTTPError{StatusCode: 401}, e)
	})
}

func TestHTTPErrorTemporary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code int
		want bool
	}{
		{400, false}, {401, false}, {403, false}, {404, false}, {408, true}, {413, false},
		{415, false}, {429, true}, {500, true}, {501, false}, {502, true}, {503, true}, {504, true},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.code), func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, (&mm7.HTTPError{StatusCode: tt.code}).Temporary())
		})
	}
}

func TestHTTPErrorAs(t *testing.T) {
	t.Parallel()
	he := &mm7.HTTPError{StatusCode: 503}
	err := fmt.Errorf("submit: %w", he)
	got, ok := errors.AsType[*mm7.HTTPError](err)
	require.True(t, ok)
	assert.Same(t, he, got)
	_, ok = errors.AsType[*mm7.StatusError](err)
	assert.False(t, ok)
}

func TestTransactionMismatchError(t *testing.T) {
	t.Parallel()
	tme := &mm7.TransactionMismatchError{Sent: "vasp-20240115-000123", Received: "vasp-20240115-000124"}
	err := fmt.Errorf("submit: %w", tme)

	assert.EqualError(t, tme, `mm7: TransactionID mismatch: sent "vasp-20240115-000123", received "vasp-20240115-000124"`)
	assert.ErrorIs(t, err, mm7.ErrTransactionIDMismatch)
	assert.NotErrorIs(t, fmt.Errorf("x: %w", &mm7.StatusError{Code: 3000}), mm7.ErrTransactionIDMismatch)

	got, ok := errors.AsType[*mm7.TransactionMismatchError](err)
	require.True(t, ok)
	assert.Equal(t, tme, got)

	t.Run("long and hostile IDs", func(t *testing.T) {
		t.Parallel()
		e := &mm7.TransactionMismatchError{Sent: "a", Received: strings.Repeat("\x1b", 10<<10)}
		assert.Less(t, len(e.Error()), 400)
		assertPrintableASCII(t, e.Error())
	})
	t.Run("missing in response", func(t *testing.T) {
		t.Parallel()
		assert.EqualError(t, &mm7.TransactionMismatchError{Sent: "t1"}, `mm7: TransactionID mismatch: sent "t1", received ""`)
	})
}

func ExampleFaultError() {
	// A Fault as a client would return it for the RSErrorRsp of
	// a rejected SubmitReq, wrapped by the caller.
	var err error = &mm7.FaultError{
		Code:       "env:Client",
		String:     "Client error",
		HTTPStatus: 500,
		Status:     &mm7.StatusError{Code: mm7.StatusAddressError, Text: "Address Error", Version: "REL-6-MM7-1-4"},
	}
	err = fmt.Errorf("send: %w", err)

	if se, ok := errors.AsType[*mm7.StatusError](err); ok {
		fmt.Println(int(se.Code), se.Code, se.Code.Class(), se.Temporary())
	}
	var fe *mm7.FaultError
	if errors.As(err, &fe) {
		fmt.Println(fe.Code, fe.HTTPStatus)
	}
	fmt.Println(errors.Is(err, &mm7.StatusError{Code: mm7.StatusAddressError}))
	fmt.Println(err)
	// Output:
	// 2002 Address Error client error false
	// env:Client 500
	// true
	// send: mm7: soap fault env:Client: Client error: status 2002 (Address Error)
}
