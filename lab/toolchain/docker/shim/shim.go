// Package shim exposes the docker provider's SDKv2 provider, which the upstream module keeps
// in an internal package, to the bridge. It is placed inside a copy of the upstream module
// by lab/toolchain/build before compilation.
package shim

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/terraform-providers/terraform-provider-docker/internal/provider"
)

// NewProvider returns the upstream SDKv2 provider (resources docker_container, docker_image,
// docker_network, docker_volume, ...).
func NewProvider() *schema.Provider {
	return provider.New("pic-lab")()
}
