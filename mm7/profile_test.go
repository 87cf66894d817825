package mm7_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/openmms/mm7go/mm7"
)

func TestProfileRetryable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code        mm7.StatusCode
		ts23140     bool
		vibes       bool
		description string
	}{
		{mm7.StatusSuccess, false, false, "nothing to retry"},
		{mm7.StatusAddressError, false, false, "client error"},
		{mm7.StatusServerError, true, true, "temporary server error"},
		{mm7.StatusMultipleAddressesNotSupported, false, false, "the request must change"},
		{mm7.StatusServiceError, false, true, "Vibes: capacity reached; 3GPP: do not resend"},
		{mm7.StatusServiceUnavailable, true, true, "busy"},
		{mm7.VibesStatusParsingError, false, false, "Vibes parsing error"},
		{mm7.VibesStatusMultipleAttachments, false, false, "Vibes 3500"},
		{mm7.VibesStatus4500, false, false, "unknown meaning"},
	}
	for _, tt := range tests {
		t.Run(tt.description, func(t *testing.T) {
			assert.Equal(t, tt.ts23140, mm7.ProfileTS23140.Retryable(tt.code), "TS 23.140")
			assert.Equal(t, tt.vibes, mm7.ProfileVibes.Retryable(tt.code), "Vibes")
		})
	}
}

func TestProfileStatusText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    mm7.Profile
		code mm7.StatusCode
		want string
	}{
		{mm7.ProfileVibes, mm7.VibesStatusParsingError, "Parsing error"},
		{mm7.ProfileVibes, mm7.VibesStatusUnexpectedRequest, "Unexpected request"},
		{mm7.ProfileVibes, mm7.VibesStatusTransactionIDNotSet, "TransactionId not set in request"},
		{mm7.ProfileVibes, mm7.VibesStatusCarrierCodeNotValid, "Carrier Code not valid"},
		{mm7.ProfileVibes, mm7.VibesStatusValidationError, "Validation error"},
		{mm7.ProfileVibes, mm7.VibesStatusGenericError, "Generic error"},
		{mm7.ProfileVibes, mm7.VibesStatusMultipleAttachments, "Multiple Attachments error"},
		{mm7.ProfileVibes, mm7.StatusServiceError, "Platform reach the capacity"},
		{mm7.ProfileVibes, mm7.StatusImproperIdentification, "Authentication error"},
		{mm7.ProfileVibes, mm7.VibesStatus4500, "unknown service error 4500"},
		{mm7.ProfileVibes, mm7.StatusMessageFormatCorrupt, "Message format corrupt"},
		{mm7.ProfileTS23140, mm7.StatusServiceError, "Service error"},
		{mm7.Profile{}, mm7.VibesStatusParsingError, "unknown client error 2500"},
	}
	for _, tt := range tests {
		t.Run(tt.p.String()+"/"+tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.p.StatusText(tt.code))
		})
	}
}

func TestProfileNames(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "TS 23.140", mm7.ProfileTS23140.String())
	assert.Equal(t, "TS 23.140", mm7.Profile{}.String())
	assert.Equal(t, "Vibes", mm7.ProfileVibes.String())
}

func TestLimitErrorError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *mm7.LimitError
		want string
	}{
		{"known size", &mm7.LimitError{Profile: "Vibes", Limit: "request body bytes", Max: 1048576, Got: 1200000, Remote: "HTTP 413"},
			"mm7: Vibes limit: 1200000 request body bytes, at most 1048576 (the MMSC would answer HTTP 413)"},
		{"unknown size", &mm7.LimitError{Profile: "Vibes", Limit: "request body bytes", Max: 10, Got: -1},
			"mm7: Vibes limit: more than 10 request body bytes, at most 10"},
		{"recipients", &mm7.LimitError{Profile: "Vibes", Limit: "recipients", Max: 1, Got: 2, Remote: "status 3003"},
			"mm7: Vibes limit: 2 recipients, at most 1 (the MMSC would answer status 3003)"},
		{"nil", nil, "mm7: <nil LimitError>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.err.Error())
		})
	}
}
