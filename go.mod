module github.com/openmms/mm7go

go 1.26.0

require (
	github.com/lestrrat-go/libxml2 v0.0.0-20260709020957-3f0f7bd60b63
	github.com/stretchr/testify v1.12.1
	github.com/xuri/xgen v0.0.0-20260524104808-c9cf3fcb4aaf
	golang.org/x/image v0.48.0
	golang.org/x/text v0.44.0
	honnef.co/go/tools v0.8.2
)

require (
	github.com/BurntSushi/toml v1.4.1-0.20240526193622-a339e1f7089c // indirect
	github.com/pkg/errors v0.9.1 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/exp/typeparams v0.0.0-20231108232855-2478ac86f678 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/net v0.61.0 // indirect
	golang.org/x/sync v0.25.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
)
