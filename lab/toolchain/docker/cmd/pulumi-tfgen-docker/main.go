// Command pulumi-tfgen-docker writes the Pulumi schema of the bridged docker provider
// (pulumi-tfgen-docker schema --out DIR), embedded by pulumi-resource-docker.
package main

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfgen"

	"pic.local/toolchain/docker/provider"
)

var version = "0.0.0"

func main() {
	tfgen.Main("docker", version, provider.Provider(version))
}
