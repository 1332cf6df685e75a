package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
)

// addRunning records a Standard run still Running on the backend info.
func addRunning(t *testing.T, path string, info fnf.Info, name string) int64 {
	t.Helper()
	hs, err := history.Open(context.Background(), history.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	d := fnf.ExecutionDetail{FlowName: "nightly", Name: name, Status: fnf.StatusRunning, StartedTime: fnf.FormatTime(time.Now())}
	id, err := hs.Add(context.Background(), history.FromStandard(info, fnf.StartRequest{FlowName: "nightly", ExecutionName: name}, &d, nil, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// history show of a Standard run recorded Running suggests the command
// that brings it up to date on the backend it ran on (its endpoint, or its
// region and profile), never the default cloud; a local run, which ended
// with the flowtui that ran it, gets no such command.
func TestHistoryShowOfARunningStandardRunSuggestsItsOwnBackend(t *testing.T) {
	isolate(t)
	path := historyAt(t)
	for _, c := range []struct {
		info      fnf.Info
		want, not []string
	}{
		{fnf.Info{Kind: fnf.KindCloud, Endpoint: "http://127.0.0.1:9791", Region: "cn-hangzhou", Profile: "env"},
			[]string{"flowtui executions show nightly e1 --endpoint http://127.0.0.1:9791 --history " + path}, []string{"--profile", "--region"}},
		{fnf.Info{Kind: fnf.KindCloud, Endpoint: "https://cn-shanghai.fnf.aliyuncs.com", Region: "cn-shanghai", Profile: "prod"},
			[]string{"flowtui executions show nightly e2 --profile prod --region cn-shanghai --history " + path}, []string{"--endpoint"}},
		{fnf.Info{Kind: fnf.KindLocal, Endpoint: "/home/u/flows"},
			[]string{"ended with the flowtui process that ran it"}, []string{"executions show", "brings this run up to date"}},
	} {
		id := addRunning(t, path, c.info, "e"+fmt.Sprint(len(openRuns(t, path))+1))
		code, stdout, stderr := runCLI(t, "history", "show", fmt.Sprint(id), "--history", path)
		wantCode(t, code, 0, stdout, stderr)
		wantContains(t, "history show", stdout, c.want...)
		for _, s := range c.not {
			if strings.Contains(stdout, s) {
				t.Errorf("history show of a %s run says %q:\n%s", c.info.Kind, s, stdout)
			}
		}
	}
}
