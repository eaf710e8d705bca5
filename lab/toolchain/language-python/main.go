// Command pulumi-language-python is the Python language host the lab's Pulumi CLI starts to run
// the program: it serves the engine's LanguageRuntime gRPC service (sdk/v3 proto/language.proto)
// and runs the program with the pulumi-language-python-exec script of the same SDK release,
// installed beside it, under the interpreter of the project's virtualenv (the runtime option
// `virtualenv` of Pulumi.yaml), or python3 on PATH.
//
// Pulumi's own host (module sdk/python/cmd/pulumi-language-python/v3) has no version on the Go
// module proxy. This one implements what `pulumi preview/up/refresh/destroy` ask of a host
// (Handshake, GetPluginInfo, GetRequiredPackages, Run, InstallDependencies, About,
// GetProgramDependencies, Cancel) and RunPlugin for policy packs (`python -m pulumi.policy`
// behind the SDK's policy proxy, which hands the pack the stack's configuration); the others
// answer Unimplemented. GetRequiredPackages answers
// no package: the engine loads a provider when the program first registers one of its resources.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is the Pulumi release whose SDK this host serves (set at link time).
var version = "3.274.1"

// exitAfterMessage is the exit code by which pulumi-language-python-exec says it already
// showed the user an actionable error (the engine then bails without a second message).
const exitAfterMessage = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	exec          string
	engineAddress string
	cancel        context.Context
	stop          context.CancelFunc
}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.String("tracing", "", "ignored: no tracing endpoint is used in the lab")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		return
	}
	self, err := os.Executable()
	if err != nil {
		fail(err)
	}
	runner := filepath.Join(filepath.Dir(self), "pulumi-language-python-exec")
	if _, err := os.Stat(runner); err != nil {
		fail(fmt.Errorf("missing program runner: %w", err))
	}
	h := &host{exec: runner}
	h.cancel, h.stop = context.WithCancel(context.Background())
	if args := flag.Args(); len(args) > 0 {
		h.engineAddress = args[0]
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	done := make(chan bool)
	go func() { <-ctx.Done(); cancel(); close(done) }()
	if h.engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, h.engineAddress, 5*time.Minute, cancel); err != nil {
			fail(err)
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: done,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fail(err)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
	os.Exit(1)
}

func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.EngineAddress
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) InstallDependencies(
	*pulumirpc.InstallDependenciesRequest, grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	return nil // the lab's virtualenv is made by `make .venv/.installed`
}

func (h *host) About(_ context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	python := interpreter(req.GetInfo())
	out, err := exec.Command(python, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --version: %w", python, err)
	}
	v := strings.TrimSpace(strings.TrimPrefix(string(out), "Python "))
	return &pulumirpc.AboutResponse{Executable: python, Version: v}, nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.stop()
	return &emptypb.Empty{}, nil
}

// interpreter is the virtualenv's python when Pulumi.yaml (or PulumiPolicy.yaml) names one that
// exists, else python3 on PATH (lab/pulumi puts the project's virtualenv first).
func interpreter(info *pulumirpc.ProgramInfo) string {
	if info != nil && info.Options != nil {
		if venv, ok := info.Options.AsMap()["virtualenv"].(string); ok && venv != "" {
			if !filepath.IsAbs(venv) {
				venv = filepath.Join(info.RootDirectory, venv)
			}
			if python := filepath.Join(venv, "bin", "python"); exists(python) {
				return python
			}
		}
	}
	return "python3"
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	args := []string{"-u", h.exec}
	flagArg := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.engineAddress)
	flagArg("project", req.GetProject())
	flagArg("root_directory", req.GetInfo().GetRootDirectory())
	flagArg("stack", req.GetStack())
	flagArg("pwd", req.GetPwd())
	flagArg("dry_run", strconv.FormatBool(req.GetDryRun()))
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	flagArg("organization", req.GetOrganization())
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	config := []byte{}
	if req.GetConfig() != nil { // no config: no PULUMI_CONFIG (the SDK reads "null" as a map)
		var err error
		if config, err = json.Marshal(req.GetConfig()); err != nil {
			return nil, err
		}
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	keys, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}

	python := interpreter(req.GetInfo())
	runCtx, cancel := context.WithCancel(h.cancel)
	defer cancel()
	context.AfterFunc(ctx, cancel)
	cmd := exec.CommandContext(runCtx, python, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Dir = req.GetPwd()
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "PULUMI_CONFIG_SECRET_KEYS="+string(keys))
	if len(config) > 0 {
		cmd.Env = append(cmd.Env, "PULUMI_CONFIG="+string(config))
	}
	if venv := filepath.Dir(filepath.Dir(python)); python != "python3" {
		cmd.Env = append(cmd.Env, "VIRTUAL_ENV="+venv,
			"PATH="+filepath.Join(venv, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	err = cmd.Run()
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr):
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.ExitStatus() == exitAfterMessage {
			return &pulumirpc.RunResponse{Bail: true}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("program exited with non-zero exit code: %d", exitErr.ExitCode())}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run %s: %v", python, err)}, nil
	}
}

// RunPlugin runs a Python policy pack: `python -u -m pulumi.policy ARGS... DIR` in the pack's
// directory, its stdout read through the SDK's policy proxy (which answers the engine's
// configuration call and passes the stack's project, stack and config to the pack).
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	if req.GetKind() != string(apitype.AnalyzerPlugin) {
		return status.Errorf(codes.Unimplemented, "only policy packs run as plugins here, not %q", req.GetKind())
	}
	ctx := server.Context()
	dir := req.GetInfo().GetProgramDirectory()
	args := append([]string{"-u", "-m", "pulumi.policy"}, req.GetArgs()...)
	args = append(args, dir)
	python := interpreter(req.GetInfo())
	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Dir = dir
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()
	proxy, stdout, err := sdk.NewPolicyProxy(ctx, stdout)
	if err != nil {
		return fmt.Errorf("could not start the policy pack proxy: %w", err)
	}
	config, err := proxy.AwaitConfiguration(ctx)
	if err != nil {
		return fmt.Errorf("could not get the stack configuration: %w", err)
	}
	cmd.Env = os.Environ()
	if config != nil {
		cmd.Env = append(cmd.Env, "PULUMI_ORGANIZATION="+config.Organization, "PULUMI_PROJECT="+config.Project,
			"PULUMI_STACK="+config.Stack, "PULUMI_DRY_RUN="+strconv.FormatBool(config.DryRun))
		if config.Config != nil {
			configJSON, err := json.Marshal(config.Config)
			if err != nil {
				return err
			}
			cmd.Env = append(cmd.Env, "PULUMI_CONFIG="+string(configJSON))
		}
	}
	cmd.Env = append(cmd.Env, req.GetEnv()...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not run %s: %w", python, err)
	}
	if err := proxy.Attach(ctx, cmd); err != nil {
		return fmt.Errorf("could not attach the policy pack proxy: %w", err)
	}
	return closer.Close()
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
