package main

import (
	"fmt"

	"github.com/openmms/mm7go/internal/rawmsg"
)

// inputName is how errors name the FILE argument of inspect and validate.
func inputName(arg string) string {
	if arg == "-" {
		return "stdin"
	}
	return arg
}

// parseInput splits a file given to inspect or validate, with an error
// that names the file and the user's problem.
func parseInput(name string, data []byte, contentType string) (*rawmsg.Message, error) {
	raw, err := rawmsg.Parse(data, contentType)
	if err != nil {
		return nil, fmt.Errorf("%s is not an MM7 message: %w", name, err)
	}
	return raw, nil
}
