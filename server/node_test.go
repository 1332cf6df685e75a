package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// nodeModulesEnv names the node_modules directory holding the official
// Node.js SDK of fnf; .ci/run installs it outside the repository and sets it.
const nodeModulesEnv = "FLOWTUI_FNF_NODE_MODULES"

const nodeSDK = "@alicloud/fnf-2019-03-15"

// nodeClient returns node and the node_modules that hold the SDK, or skips
// the test when node is absent.
func nodeClient(t *testing.T) (node, modules string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skipf("node is not installed: this test runs the official Node.js SDK (%s, which .ci/run installs with npm) against the server", nodeSDK)
	}
	modules = os.Getenv(nodeModulesEnv)
	if modules == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Skipf("%s is not set and there is no cache directory to look in: run .ci/run", nodeModulesEnv)
		}
		modules = filepath.Join(cache, "flowtui-ci", "node", "node_modules")
		if _, err := os.Stat(filepath.Join(modules, nodeSDK)); err != nil {
			t.Skipf("the Node.js SDK is not installed in %s: run .ci/run, or npm install --prefix %s %s@1.2.0", modules, filepath.Dir(modules), nodeSDK)
		}
	}
	if _, err := os.Stat(filepath.Join(modules, nodeSDK, "package.json")); err != nil {
		t.Fatalf("%s=%s does not hold %s: %v", nodeModulesEnv, modules, nodeSDK, err)
	}
	return node, modules
}

// nodeCall is one call as the script reads it; nodeResult one line it writes.
type nodeCall struct {
	Action  string            `json:"action"`
	Params  map[string]string `json:"params"`
	Headers map[string]string `json:"headers,omitempty"`
}

type nodeResult struct {
	Action  string         `json:"action"`
	Body    map[string]any `json:"body"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
}

// runNode runs the calls with the Node.js SDK against ts, bounded in time.
func runNode(t *testing.T, ts *testServer, calls []nodeCall) []nodeResult {
	t.Helper()
	node, modules := nodeClient(t)
	in, err := json.Marshal(calls)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("testdata", "fnf_node_client.js"))
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules, "FNF_ENDPOINT=http://"+ts.host,
		"FNF_ACCESS_KEY_ID="+testKeyID, "FNF_ACCESS_KEY_SECRET="+testSecret)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var results []nodeResult
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r nodeResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("node wrote %q: %v", sc.Text(), err)
		}
		results = append(results, r)
	}
	if len(results) != len(calls) {
		t.Fatalf("node answered %d calls of %d:\n%s\n%s", len(results), len(calls), out, stderr.String())
	}
	return results
}

// The Node.js SDK (1.2.0) sends every parameter of a POST in the form body,
// its signature and Action included, and reads as GET with a query string.
func TestTheOfficialNodeSDKCallsEveryStandardAction(t *testing.T) {
	ts := start(t, Config{})
	f := ts.useFake(newFake())
	f.regions = []fnf.Region{{RegionId: "local", LocalName: "flowtui serve"}}
	f.page = fnf.ExecutionPage{Executions: []fnf.ExecutionDetail{f.detail}}
	var calls []nodeCall
	var want []any
	for _, sc := range sdkCalls(t) {
		params := map[string]string{}
		for _, kv := range [][]string{sc.query, sc.params} {
			for i := 0; i+1 < len(kv); i += 2 {
				params[kv[i]] = kv[i+1]
			}
		}
		calls = append(calls, nodeCall{Action: sc.action, Params: params, Headers: sc.header})
		want = append(want, sc.want)
	}
	results := runNode(t, ts, calls)
	for _, r := range results {
		if r.Code != "" || r.Body["RequestId"] == nil {
			t.Errorf("%s: %s %s %v", r.Action, r.Code, r.Message, r.Body)
		}
	}
	if got := f.got(); !reflect.DeepEqual(got, want) {
		t.Fatalf("the executions got\n%#v\nwant\n%#v", got, want)
	}
	if results[0].Body["Name"] != "e1" || results[2].Body["Executions"] == nil {
		t.Errorf("answers: %+v", results)
	}
	regions, _ := results[7].Body["Regions"].(map[string]any)
	if list, _ := regions["Region"].([]any); len(list) != 1 {
		t.Errorf("DescribeRegions: %v", results[7].Body)
	}

	// A refusal reaches the script as the SDK's error, with the code.
	f.err = &fnf.APIError{HTTPStatus: http.StatusNotFound, Code: fnf.CodeExecutionNotExists, Message: `execution "e9" does not exist`}
	r := runNode(t, ts, []nodeCall{{Action: "DescribeExecution", Params: map[string]string{"FlowName": "std", "ExecutionName": "e9"}}})[0]
	if r.Code != fnf.CodeExecutionNotExists || !bytes.Contains([]byte(r.Message), []byte(`"e9"`)) {
		t.Fatalf("the SDK's error: %+v", r)
	}
}
