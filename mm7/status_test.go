package mm7_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

// TestStatusCodeConstants checks every TS 23.140 code: number, canonical
// text, class, Success, Temporary, FaultCode and HTTPStatus.
func TestStatusCodeConstants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code      mm7.StatusCode
		num       int
		text      string
		class     mm7.StatusClass
		temporary bool
		fault     string
	}{
		{mm7.StatusSuccess, 1000, "Success", mm7.ClassSuccess, false, "Server"},
		{mm7.StatusPartialSuccess, 1100, "Partial success", mm7.ClassSuccess, false, "Server"},

		{mm7.StatusClientError, 2000, "Client error", mm7.ClassClientError, false, "Client"},
		{mm7.StatusOperationRestricted, 2001, "Operation restricted", mm7.ClassClientError, false, "Client"},
		{mm7.StatusAddressError, 2002, "Address Error", mm7.ClassClientError, false, "Client"},
		{mm7.StatusAddressNotFound, 2003, "Address Not Found", mm7.ClassClientError, false, "Client"},
		{mm7.StatusMultimediaContentRefused, 2004, "Multimedia content refused", mm7.ClassClientError, false, "Client"},
		{mm7.StatusMessageIDNotFound, 2005, "Message ID Not found", mm7.ClassClientError, false, "Client"},
		{mm7.StatusLinkedIDNotFound, 2006, "LinkedID not found", mm7.ClassClientError, false, "Client"},
		{mm7.StatusMessageFormatCorrupt, 2007, "Message format corrupt", mm7.ClassClientError, false, "Client"},
		{mm7.StatusApplicationIDNotFound, 2008, "Application ID not found", mm7.ClassClientError, false, "Client"},
		{mm7.StatusReplyApplicationIDNotFound, 2009, "Reply Application ID not found", mm7.ClassClientError, false, "Client"},

		{mm7.StatusServerError, 3000, "Server Error", mm7.ClassServerError, true, "Server"},
		{mm7.StatusNotPossible, 3001, "Not Possible", mm7.ClassServerError, false, "Server"},
		{mm7.StatusMessageRejected, 3002, "Message rejected", mm7.ClassServerError, false, "Server"},
		{mm7.StatusMultipleAddressesNotSupported, 3003, "Multiple addresses not supported", mm7.ClassServerError, false, "Server"},
		{mm7.StatusApplicationAddressingNotSupported, 3004, "Application Addressing not supported", mm7.ClassServerError, false, "Server"},

		{mm7.StatusGeneralServiceError, 4000, "General service error", mm7.ClassServiceError, false, "Server"},
		{mm7.StatusImproperIdentification, 4001, "Improper identification", mm7.ClassServiceError, false, "Client"},
		{mm7.StatusUnsupportedVersion, 4002, "Unsupported version", mm7.ClassServiceError, false, "Client"},
		{mm7.StatusUnsupportedOperation, 4003, "Unsupported operation", mm7.ClassServiceError, false, "Client"},
		{mm7.StatusValidationError, 4004, "Validation error", mm7.ClassServiceError, false, "Client"},
		{mm7.StatusServiceError, 4005, "Service error", mm7.ClassServiceError, false, "Server"}, // 3GPP: do not resend
		{mm7.StatusServiceUnavailable, 4006, "Service unavailable", mm7.ClassServiceError, true, "Server"},
		{mm7.StatusServiceDenied, 4007, "Service denied", mm7.ClassServiceError, false, "Client"},
		{mm7.StatusApplicationDenied, 4008, "Application denied", mm7.ClassServiceError, false, "Client"},
	}
	require.Len(t, tests, 26, "every TS 23.140 code")
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.num), func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.num, int(tt.code))
			assert.Equal(t, tt.text, tt.code.String())
			assert.Equal(t, tt.class, tt.code.Class())
			assert.Equal(t, tt.class == mm7.ClassSuccess, tt.code.Success())
			assert.Equal(t, tt.temporary, tt.code.Temporary())
			assert.Equal(t, tt.fault, tt.code.FaultCode())
			wantHTTP := http.StatusInternalServerError
			if tt.code.Success() {
				wantHTTP = http.StatusOK
			}
			assert.Equal(t, wantHTTP, tt.code.HTTPStatus())
		})
	}
}

// TestStatusCodeUnknown checks that codes TS 23.140 does not define keep
// their number and get their class.
func TestStatusCodeUnknown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		code  mm7.StatusCode
		text  string
		class mm7.StatusClass
		fault string
		http  int
	}{
		{"partial success variant", 1101, "unknown success 1101", mm7.ClassSuccess, "Server", 200},
		{"Sinch 2571", 2571, "unknown client error 2571", mm7.ClassClientError, "Client", 500},
		{"Sinch 2572", 2572, "unknown client error 2572", mm7.ClassClientError, "Client", 500},
		{"Vibes 2999", 2999, "unknown client error 2999", mm7.ClassClientError, "Client", 500},
		{"Vibes 3500", 3500, "unknown server error 3500", mm7.ClassServerError, "Server", 500},
		{"Mbuni 3005", 3005, "unknown server error 3005", mm7.ClassServerError, "Server", 500},
		{"Vibes 4500", 4500, "unknown service error 4500", mm7.ClassServiceError, "Server", 500},
		{"4999", 4999, "unknown service error 4999", mm7.ClassServiceError, "Server", 500},
		{"below range", 999, "status 999", mm7.ClassUnknown, "Server", 500},
		{"above range", 5000, "status 5000", mm7.ClassUnknown, "Server", 500},
		{"zero", 0, "status 0", mm7.ClassUnknown, "Server", 500},
		{"negative", -2000, "status -2000", mm7.ClassUnknown, "Server", 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.text, tt.code.String())
			assert.Equal(t, tt.class, tt.code.Class())
			assert.Equal(t, tt.class == mm7.ClassSuccess, tt.code.Success())
			assert.False(t, tt.code.Temporary(), "unknown codes are never temporary under 3GPP semantics")
			assert.Equal(t, tt.fault, tt.code.FaultCode())
			assert.Equal(t, tt.http, tt.code.HTTPStatus())
		})
	}

	t.Run("number kept", func(t *testing.T) {
		t.Parallel()
		c, err := mm7.ParseStatusCode("2571")
		require.NoError(t, err)
		assert.Equal(t, mm7.StatusCode(2571), c)
		assert.Equal(t, "2571", fmt.Sprintf("%d", c))
	})
}

func TestStatusClassString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		class mm7.StatusClass
		want  string
	}{
		{mm7.ClassUnknown, "unknown"},
		{mm7.ClassSuccess, "success"},
		{mm7.ClassClientError, "client error"},
		{mm7.ClassServerError, "server error"},
		{mm7.ClassServiceError, "service error"},
		{7, "StatusClass(7)"},
		{-1, "StatusClass(-1)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.class.String())
		})
	}
	var zero mm7.StatusClass
	assert.Equal(t, mm7.ClassUnknown, zero, "zero value is ClassUnknown")
}

func TestParseStatusCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     mm7.StatusCode
	}{
		{"plain", "1000", mm7.StatusSuccess},
		{"whitespace trimmed", " 2007 ", mm7.StatusMessageFormatCorrupt},
		{"newlines and tabs", "\n\t4002\r\n", mm7.StatusUnsupportedVersion},
		{"plus sign", "+1000", mm7.StatusSuccess},
		{"leading zeros", "0004006", mm7.StatusServiceUnavailable},
		{"unknown code kept", "4999", 4999},
		{"Sinch private code", "2571", 2571},
		{"below the classes", "999", 999},
		{"one", "1", 1},
		{"max int32", "2147483647", 2147483647},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := mm7.ParseStatusCode(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseStatusCodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		wantErr  error // nil: only the message is checked
		wantMsg  string
	}{
		{"empty", "", strconv.ErrSyntax, `mm7: invalid status code "": invalid syntax`},
		{"blank", "  \n", strconv.ErrSyntax, `mm7: invalid status code "  \n": invalid syntax`},
		{"garbage", "abc", strconv.ErrSyntax, `mm7: invalid status code "abc": invalid syntax`},
		{"digits and letters", "10a0", strconv.ErrSyntax, `mm7: invalid status code "10a0": invalid syntax`},
		{"decimal", "1000.0", strconv.ErrSyntax, `mm7: invalid status code "1000.0": invalid syntax`},
		{"hex", "0x3E8", strconv.ErrSyntax, `mm7: invalid status code "0x3E8": invalid syntax`},
		{"underscore", "1_000", strconv.ErrSyntax, `mm7: invalid status code "1_000": invalid syntax`},
		{"inner space", "10 00", strconv.ErrSyntax, `mm7: invalid status code "10 00": invalid syntax`},
		{"status text", "Success", strconv.ErrSyntax, `mm7: invalid status code "Success": invalid syntax`},
		{"overflow", "99999999999", strconv.ErrRange, `mm7: invalid status code "99999999999": value out of range`},
		{"zero", "0", nil, `mm7: invalid status code "0": not a positive integer`},
		{"zeros", " 000 ", nil, `mm7: invalid status code " 000 ": not a positive integer`},
		{"negative", "-1000", nil, `mm7: invalid status code "-1000": not a positive integer`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := mm7.ParseStatusCode(tt.in)
			require.Error(t, err)
			assert.Equal(t, mm7.StatusCode(0), got)
			assert.EqualError(t, err, tt.wantMsg)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
			}
		})
	}

	t.Run("long value clipped", func(t *testing.T) {
		t.Parallel()
		in := string(make([]byte, 10<<10)) // 10 KB of NULs
		_, err := mm7.ParseStatusCode(in)
		require.Error(t, err)
		assert.Less(t, len(err.Error()), 500)
	})
}

func TestStatusCodeHTTPStatusAndFaultCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		code  mm7.StatusCode
		fault string
		http  int
	}{
		{"success answers normally", mm7.StatusSuccess, "Server", 200},
		{"partial success answers normally", mm7.StatusPartialSuccess, "Server", 200},
		{"client class", mm7.StatusAddressError, "Client", 500},
		{"server class", mm7.StatusServerError, "Server", 500},
		{"general service error is the server's", mm7.StatusGeneralServiceError, "Server", 500},
		{"identification is the request's", mm7.StatusImproperIdentification, "Client", 500},
		{"version is the request's", mm7.StatusUnsupportedVersion, "Client", 500},
		{"operation is the request's", mm7.StatusUnsupportedOperation, "Client", 500},
		{"validation is the request's", mm7.StatusValidationError, "Client", 500},
		{"service error is the server's", mm7.StatusServiceError, "Server", 500},
		{"unavailable is the server's", mm7.StatusServiceUnavailable, "Server", 500},
		{"denied is the request's", mm7.StatusServiceDenied, "Client", 500},
		{"application denied is the request's", mm7.StatusApplicationDenied, "Client", 500},
		{"unknown client error", 2571, "Client", 500},
		{"unknown service error", 4500, "Server", 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.fault, tt.code.FaultCode())
			assert.Equal(t, tt.http, tt.code.HTTPStatus())
		})
	}
}

func ExampleStatusCode() {
	for _, s := range []string{"1000", " 4002 ", "4005", "4006", "2571"} {
		c, err := mm7.ParseStatusCode(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%d %q class=%q temporary=%t\n", c, c, c.Class(), c.Temporary())
	}
	// Output:
	// 1000 "Success" class="success" temporary=false
	// 4002 "Unsupported version" class="service error" temporary=false
	// 4005 "Service error" class="service error" temporary=false
	// 4006 "Service unavailable" class="service error" temporary=true
	// 2571 "unknown client error 2571" class="client error" temporary=false
}
