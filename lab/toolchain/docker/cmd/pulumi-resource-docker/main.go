// Command pulumi-resource-docker is the bridged docker provider plugin.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"

	"pic.local/toolchain/docker/provider"
)

// version is set with -ldflags "-X main.version=..." to the version the Python SDK requests.
var version = "0.0.0"

// pulumiSchema is written by pulumi-tfgen-docker before this command is compiled.
//
//go:embed schema-embed.json
var pulumiSchema []byte

func main() {
	tfbridge.Main("docker", version, provider.Provider(version), pulumiSchema)
}
