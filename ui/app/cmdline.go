package app

import (
	"bytes"
	"encoding/json"
	"net/url"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/common"
)

// copyCommand puts the run of the selected flow with the current input on the
// clipboard (OSC 52) as a command line: flowtui's own, or the aliyun CLI's.
func (m Model) copyCommand(aliyun bool) (tea.Model, tea.Cmd) {
	if m.flow.Name == "" {
		m.status.SetMessage("choose a flow first", true)
		return m, nil
	}
	in := m.input.Value()
	var compact bytes.Buffer
	if json.Compact(&compact, []byte(in)) == nil {
		in = compact.String()
	}
	var line string
	if aliyun {
		info := m.backend.Info()
		if info.Kind == fnf.KindLocal {
			m.status.SetMessage(m.flow.Name+" exists only on the local engine: the aliyun CLI cannot run it; "+
				"copy the flowtui command line instead, or serve it with flowtui serve", true)
			return m, nil
		}
		line = aliyunCommand(m.flow.Name, in, m.testCases[m.flow.Name], m.args)
	} else {
		args := append([]string{"flowtui", "run", m.flow.Name, "--input", in}, m.args...)
		if tc := m.testCases[m.flow.Name]; tc != "" {
			args = append(args, "--test-case", tc)
		}
		line = commandLine(args...)
	}
	m.status.SetMessage("copied: "+line, false)
	return m, tea.SetClipboard(line)
}

// aliyunCommand is the aliyun CLI line that runs flow with input against the
// backend that backendArgs (flowtui's own flags) choose: StartSyncExecution
// is in the CLI's fnf metadata, so it is called natively (no --force, which
// would also need --version), with the profile, region and endpoint given.
// A test case reaches flowtui serve as its x-flowtui-test-case header.
func aliyunCommand(flow, input, testCase string, backendArgs []string) string {
	args := []string{"aliyun", "fnf", "StartSyncExecution", "--FlowName", flow, "--Input", input}
	if p := flagValue(backendArgs, "--profile"); p != "" {
		args = append(args, "--profile", p)
	}
	if r := flagValue(backendArgs, "--region"); r != "" {
		args = append(args, "--region", r)
	}
	if e := flagValue(backendArgs, "--endpoint"); e != "" {
		// The CLI takes a host, not a URL.
		if u, err := url.Parse(e); err == nil && u.Host != "" {
			e = u.Host
		}
		args = append(args, "--endpoint", e)
		if testCase != "" {
			args = append(args, "--header", "x-flowtui-test-case="+testCase)
		}
	}
	return commandLine(args...)
}

// flagValue is the value that follows flag in args, "" when absent.
func flagValue(args []string, flag string) string {
	for i := 0; i+1 < len(args); i++ {
		if args[i] == flag {
			return args[i+1]
		}
	}
	return ""
}

// commandLine and shellQuote are common.CommandLine and common.ShellQuote.
func commandLine(args ...string) string { return common.CommandLine(args...) }

func shellQuote(s string) string { return common.ShellQuote(s) }
