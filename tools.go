//go:build tools

// Package tools pins the versions of the build tools and libraries the
// Makefile runs, so `go run` uses the versions recorded in go.mod.
package tools

import (
	_ "github.com/lestrrat-go/libxml2"
	_ "github.com/stretchr/testify/assert"
	_ "github.com/xuri/xgen"
	_ "honnef.co/go/tools/cmd/staticcheck"
)
