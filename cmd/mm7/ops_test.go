package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestComposeCommandsParse runs every mm7 command line of compose.yaml
// with -h appended: the flags before -h are parsed as when the container
// starts, so an unknown flag or a bad value fails here, not in Docker.
func TestComposeCommandsParse(t *testing.T) {
	f, err := os.Open("../../compose.yaml")
	require.NoError(t, err)
	defer f.Close()
	re := regexp.MustCompile(`^\s*command:\s*(\[.*\])\s*$`)
	sc := bufio.NewScanner(f)
	checked := map[string]int{}
	for sc.Scan() {
		m := re.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		var args []string
		require.NoError(t, json.Unmarshal([]byte(m[1]), &args), sc.Text())
		if _, ok := commands[args[0]]; !ok {
			continue // nats-server's own command line
		}
		var errb strings.Builder
		e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &errb, getenv: func(string) string { return "" }}
		code := run(context.Background(), append(args, "-h"), e)
		assert.Equal(t, exitOK, code, "%v:\n%s", args, errb.String())
		checked[args[0]]++
	}
	require.NoError(t, sc.Err())
	assert.Equal(t, map[string]int{"serve": 2, "relay": 1, "sim": 1, "send": 1}, checked)
}

// TestServeEnvExampleNamesFlags checks that every variable of the systemd
// example names a flag of mm7 serve (or the password).
func TestServeEnvExampleNamesFlags(t *testing.T) {
	data, err := os.ReadFile("../../deploy/systemd/serve.env.example")
	require.NoError(t, err)
	names := map[string]bool{passwordEnv: true}
	// The flags of mm7 serve, as runServe defines them.
	var errb strings.Builder
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &errb, getenv: func(string) string { return "" }}
	run(context.Background(), []string{"serve", "-h"}, e)
	for _, m := range regexp.MustCompile(`(?m)^\s+-(\S+)`).FindAllStringSubmatch(errb.String(), -1) {
		names[envName(m[1])] = true
	}
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#"))
		k, _, ok := strings.Cut(line, "=")
		if !ok || !strings.HasPrefix(k, "MM7_") || strings.Contains(k, " ") {
			continue
		}
		assert.True(t, names[k], "%s is no flag of mm7 serve", k)
		n++
	}
	assert.GreaterOrEqual(t, n, 8)
}
