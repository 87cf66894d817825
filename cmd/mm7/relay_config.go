package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7nats"
)

// relayAccountConfig is one entry of mm7 relay --accounts-config: the
// settings of one job account, as the flags of a single-account relay
// give them.
type relayAccountConfig struct {
	Account      string `json:"account"`
	URL          string `json:"url"`
	User         string `json:"user"`
	PasswordFile string `json:"password_file"`
	// PasswordEnv names the environment variable holding the password.
	PasswordEnv string `json:"password_env"`
	Version     string `json:"version"`
	Rate        string `json:"rate"`
	Burst       int    `json:"burst"`
	Concurrency int    `json:"concurrency"`
	Timeout     string `json:"timeout"`
}

// readRelayAccounts reads an accounts configuration: a JSON array of
// relayAccountConfig. Unset fields take the flags' defaults. Errors name
// the entry, never a password.
func readRelayAccounts(e *env, name string, log *slog.Logger) (map[string]*mm7nats.Account, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("--accounts-config: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var list []relayAccountConfig
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("--accounts-config %s: %w", name, err)
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("--accounts-config %s: no account", name)
	}
	out := map[string]*mm7nats.Account{}
	for i, c := range list {
		where := fmt.Sprintf("--accounts-config %s entry %d (account %q)", name, i+1, c.Account)
		if _, dup := out[c.Account]; dup {
			return nil, fmt.Errorf("%s: account listed twice", where)
		}
		f := relayFlags{url: c.URL, user: c.User, version: c.Version, rate: c.Rate, burst: c.Burst, concurrency: c.Concurrency, timeout: mm7.DefaultTimeout, maxDeliver: 1}
		if f.url == "" {
			return nil, fmt.Errorf("%s: no url", where)
		}
		if f.version == "" {
			f.version = "6.8.0"
		}
		if f.burst == 0 {
			f.burst = 1
		}
		if f.concurrency == 0 {
			f.concurrency = 4
		}
		if c.Timeout != "" {
			if f.timeout, err = time.ParseDuration(c.Timeout); err != nil {
				return nil, fmt.Errorf("%s: timeout: %w", where, err)
			}
		}
		var pass mm7.Secret
		switch {
		case c.PasswordFile != "":
			if pass, err = readSecret(e, "", c.PasswordFile); err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
		case c.PasswordEnv != "" && e.getenv != nil:
			pass = mm7.Secret(e.getenv(c.PasswordEnv))
		}
		acct, err := f.relayAccount(pass, log)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		out[c.Account] = acct
	}
	return out, nil
}
