package main

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/xsdtypes"
)

// An invalid request is "refused locally" (exit 5), also when the client
// had sent an earlier attempt in another version before the conversion
// made it invalid.
func TestCallExitInvalidMessageIsRefusedLocally(t *testing.T) {
	invalid := &mm7.InvalidMessageError{Kind: "SubmitReq", Schema: "REL-5-MM7-1-2",
		Err: &xsdtypes.ValidationError{Element: "SubmitReq", Problems: []xsdtypes.Problem{{Path: "/SubmitReq/Recipients", Text: "needs at least one of To, Cc, Bcc"}}}}
	for _, attempts := range []int{0, 1} {
		res := &mm7.Result{Attempts: attempts}
		assert.Equal(t, exitRefused, callExit(res, fmt.Errorf("mm7: %w", invalid)), attempts)
	}
}
