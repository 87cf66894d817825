package main

import (
	"flag"
	"fmt"
	"strings"
)

// envName is the environment variable of a flag: MM7_ and the flag name
// in upper case with - as _ (--tls-cert: MM7_TLS_CERT).
func envName(flagName string) string {
	return "MM7_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// flagsFromEnv sets every flag not given on the command line from its
// MM7_… environment variable, when that is set and not empty; a
// repeatable flag takes a comma-separated list. An invalid value is a
// usage error naming the variable (not its value, which may be secret).
func flagsFromEnv(e *env, fs *flag.FlagSet) error {
	if e.getenv == nil {
		return nil
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || given[f.Name] {
			return
		}
		v := e.getenv(envName(f.Name))
		if v == "" {
			return
		}
		values := []string{v}
		if _, list := f.Value.(*listFlag); list {
			values = strings.Split(v, ",")
		}
		for _, one := range values {
			if serr := fs.Set(f.Name, strings.TrimSpace(one)); serr != nil {
				err = fmt.Errorf("%s: invalid value for --%s: %v", envName(f.Name), f.Name, serr)
				return
			}
		}
	})
	return err
}
