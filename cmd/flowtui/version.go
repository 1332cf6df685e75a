package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/flowtui/flowtui/client"
	"github.com/flowtui/flowtui/internal/sanitize"
)

// buildVersion is set at link time (-ldflags "-X main.buildVersion=v1.2.3").
var buildVersion = ""

type versionInfo struct {
	Version  string
	Commit   string `json:",omitempty"`
	Go       string
	Platform string
}

func version() versionInfo {
	v := versionInfo{Version: "devel", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v.Commit = s.Value[:12]
			}
		}
	}
	if buildVersion != "" {
		v.Version = buildVersion
	}
	return v
}

func (a *app) versionCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, and where credentials and region would come from",
		Args:  noArgs("version"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := version()
			if asJSON {
				return writeJSON(a.io.out, v)
			}
			commit := ""
			if v.Commit != "" {
				commit = " " + v.Commit
			}
			fmt.Fprintf(a.io.out, "flowtui %s%s (%s, %s)\n", v.Version, commit, v.Go, v.Platform)
			// Resolving reads files only; it contacts no host.
			res, err := client.ResolveCredentials(client.ResolveOptions{Profile: a.g.profile, Region: a.g.region})
			if err != nil {
				fmt.Fprintf(a.io.out, "credentials: %s\n", sanitize.Line(err.Error()))
				return nil
			}
			endpoint := a.g.endpoint
			if endpoint == "" {
				endpoint = client.DefaultEndpoint(res.Region)
			}
			fmt.Fprintf(a.io.out, "credentials: %s (mode %s)\nregion:      %s\nendpoint:    %s\n",
				sanitize.Line(res.Source), sanitize.Line(res.Mode), sanitize.Line(res.Region), sanitize.Line(endpoint))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the version as JSON")
	return cmd
}
