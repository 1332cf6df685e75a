package backend

import (
	"fmt"
	"strings"

	"github.com/flowtui/flowtui/client"
	"github.com/flowtui/flowtui/fnf"
)

// Choice is one entry of the TUI's backend picker.
type Choice struct{ ID, Title string }

// Choices are what the picker offers besides regions: the local engine and
// each aliyun CLI profile. The TUI lists the regions itself, those the
// service names (DescribeRegions) or else fnf.Regions, as "region:<id>".
func Choices() []Choice {
	items := []Choice{{ID: "local", Title: "local · embedded engine with the demo flows"}}
	for _, p := range client.ProfileNames() {
		items = append(items, Choice{ID: "profile:" + p, Title: "profile · " + p})
	}
	return items
}

// Switch builds the backend a picker choice names ("local", "profile:<name>",
// "region:<id>"), from the flags in force, and returns the flags that choose
// it again. A choice that would fall back
// to the engine for want of credentials is refused: the user asked for
// something else.
func Switch(f Flags, id string, o Options) (fnf.Backend, []string, error) {
	kind, value, _ := strings.Cut(id, ":")
	switch kind {
	case "local":
		f.Local = true
	case "profile":
		f.Profile, f.Local, f.Flows, f.Mocks = value, false, "", ""
	case "region":
		f.Region, f.Local, f.Flows, f.Mocks = value, false, "", ""
	default:
		return nil, nil, fmt.Errorf("unknown choice %q", id)
	}
	b, err := Resolve(f, o)
	if err != nil {
		return nil, nil, err
	}
	if b.FellBack {
		return nil, nil, fmt.Errorf("no credentials found for %s", id)
	}
	return b.Backend, Reproduce(f, b.Info()), nil
}

// Reproduce is the flags that choose the backend described by info again,
// for a copied command line: the local engine with its flows and mocks, or
// the cloud with its profile, region, endpoint and signature.
func Reproduce(f Flags, info fnf.Info) []string {
	var args []string
	add := func(flag, value string) {
		if value != "" {
			args = append(args, flag, value)
		}
	}
	if info.Kind == fnf.KindLocal {
		args = append(args, "--local")
		add("--flows", f.Flows)
		add("--mocks", f.Mocks)
		return args
	}
	add("--profile", f.Profile)
	add("--endpoint", f.Endpoint)
	if f.Endpoint == "" {
		add("--region", info.Region)
	}
	if f.Signature == client.SignatureV3 {
		add("--signature", client.SignatureV3)
	}
	return args
}
