// Package provider describes the Terraform docker provider (kreuzwerker) to the Pulumi bridge
// under the tokens of the pulumi-docker Python SDK: docker:index/container:Container,
// docker:index/remoteImage:RemoteImage, docker:index/network:Network, docker:index/volume:Volume.
// The token and field renames follow the pulumi-docker schema the SDK was generated from.
package provider

import (
	"context"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/terraform-providers/terraform-provider-docker/shim"
)

func resource(name string) tokens.Type {
	lower := string(name[0]+('a'-'A')) + name[1:]
	return tokens.Type("docker:index/" + lower + ":" + name)
}

func function(name string) tokens.ModuleMember {
	return tokens.ModuleMember("docker:index/" + name + ":" + name)
}

// Provider is the bridge's description of the provider.
func Provider(version string) tfbridge.ProviderInfo {
	return tfbridge.ProviderInfo{
		P:       shimv2.NewProvider(shim.NewProvider()),
		Name:    "docker",
		Version: version,
		Config: map[string]*tfbridge.SchemaInfo{
			"host": {Default: &tfbridge.DefaultInfo{
				EnvVars: []string{"DOCKER_HOST"},
				ComputeDefault: func(context.Context, tfbridge.ComputeDefaultOptions) (interface{}, error) {
					return "unix:///var/run/docker.sock", nil
				},
			}},
			"registry_auth": {Name: "registryAuth", MaxItemsOne: tfbridge.False()},
		},
		Resources: map[string]*tfbridge.ResourceInfo{
			"docker_container": {
				Tok:                 resource("Container"),
				DeleteBeforeReplace: true,
				Fields: map[string]*tfbridge.SchemaInfo{
					"command":           {Name: "command"},
					"networks_advanced": {Name: "networksAdvanced"},
				},
			},
			"docker_image": {
				Tok:    resource("RemoteImage"),
				Fields: map[string]*tfbridge.SchemaInfo{"name": {Name: "name"}},
			},
			"docker_network":        {Tok: resource("Network")},
			"docker_volume":         {Tok: resource("Volume")},
			"docker_config":         {Tok: resource("ServiceConfig")},
			"docker_secret":         {Tok: resource("Secret")},
			"docker_service":        {Tok: resource("Service")},
			"docker_registry_image": {Tok: resource("RegistryImage")},
			"docker_plugin":         {Tok: resource("Plugin")},
			"docker_tag":            {Tok: resource("Tag")},
			"docker_buildx_builder": {Tok: resource("BuildxBuilder")},
		},
		DataSources: map[string]*tfbridge.DataSourceInfo{
			"docker_registry_image":           {Tok: function("getRegistryImage")},
			"docker_network":                  {Tok: function("getNetwork")},
			"docker_plugin":                   {Tok: function("getPlugin")},
			"docker_image":                    {Tok: function("getRemoteImage")},
			"docker_logs":                     {Tok: function("getLogs")},
			"docker_registry_image_manifests": {Tok: function("getRegistryImageManifests")},
		},
	}
}
