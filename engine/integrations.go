package engine

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/flowtui/flowtui/internal/suggest"
)

// integration is one Task action of the service's optimized integrations as
// its documentation page describes it: the parameters it takes and requires,
// and the shape of its result. A new integration is one row of integrations.
type integration struct {
	action   string
	required []string
	optional []string
	// enums: parameters that take one of a few values (compared ignoring
	// case: the HTTP page's own example writes the method "Get").
	enums map[string][]string
	// payload is the key of the service's answer that holds what a mock's
	// Result gives (FC:InvokeFunction: the function's output under Body);
	// "" when the answer is the Result itself.
	payload string
	// around is the rest of the answer a Result is placed in.
	around func() map[string]any
}

// integrations are the documented actions, with the page of each:
//
//	FC:InvokeFunction      https://help.aliyun.com/document_detail/2400200.html
//	HTTP:Request           https://help.aliyun.com/document_detail/2593203.html
//	FNF:StartExecution     https://help.aliyun.com/en/document_detail/2400188.html
//	MNS:SendMessage        https://help.aliyun.com/document_detail/2593184.html
//	EventBridge:PutEvents  https://help.aliyun.com/en/document_detail/2400202.html
//	OSS:GetObject          https://help.aliyun.com/document_detail/2573663.html
//	SMS:SendSms            https://help.aliyun.com/document_detail/2619166.html
var integrations = []integration{
	{action: "FC:InvokeFunction", required: []string{"resourceArn", "invocationType"}, optional: []string{"body"},
		enums: map[string][]string{"invocationType": {"Sync", "Async"}}, payload: "Body"},
	{action: ActionHTTP, required: []string{"url"}, optional: []string{"method", "headers", "body"},
		enums:   map[string][]string{"method": httpMethods},
		payload: "Body", around: func() map[string]any { return map[string]any{"Code": 200, "Header": map[string]any{}} }},
	{action: "FNF:StartExecution", required: []string{"resourceArn"}, optional: []string{"executionName", "input"}},
	{action: "MNS:SendMessage", required: []string{"resourceArn", "message"},
		optional: []string{"priority", "delaySeconds", "messageTag", "messageAttributes"}},
	{action: "EventBridge:PutEvents", required: []string{"eventBusName"},
		optional: []string{"id", "type", "subject", "source", "data"}},
	{action: "OSS:GetObject", required: []string{"bucket", "key"},
		optional: []string{"region", "versionId", "range", "ifMatch", "ifNoneMatch"}},
	{action: "SMS:SendSms", required: []string{"phoneNumbers", "signName", "templateCode"}, optional: []string{"templateParam"},
		payload: "EntryList", around: func() map[string]any { return map[string]any{"Headers": map[string]any{}} }},
}

// httpMethods are the methods the HTTP integration page lists.
var httpMethods = []string{"GET", "POST", "PATCH", "PUT", "DELETE", "HEAD"}

// integrationOf is the row of a documented action, or nil.
func integrationOf(action string) *integration {
	for i := range integrations {
		if integrations[i].action == action {
			return &integrations[i]
		}
	}
	return nil
}

// params is every parameter the action takes.
func (in *integration) params() []string {
	return append(slices.Clone(in.required), in.optional...)
}

// shape places a mock's Result where the cloud's answer carries it.
func (in *integration) shape(result any) any {
	if in == nil || in.payload == "" {
		return result
	}
	out := map[string]any{}
	if in.around != nil {
		out = in.around()
	}
	out[in.payload] = result
	return out
}

// checkAction refuses an Action that is not <Service>:<Operation>, or that
// misspells a documented one, at its place with the nearest documented name.
// Any other <Service>:<Operation> is a normal integration (an OpenAPI call,
// its parameters the operation's own); a documented one has its Parameters
// checked against its page.
func (p *parser) checkAction(m *mapping, st *State) {
	if in := integrationOf(st.Action); in != nil {
		p.checkParameters(m, st, in)
		return
	}
	if msg := unknownAction(st.Action); msg != "" {
		p.add(m.value("Action"), st.Name, msg)
	}
}

// unknownAction is why an action that no row holds is refused, or "" for a
// normal integration.
func unknownAction(action string) string {
	near, d := nearestAction(action)
	svc, op, ok := strings.Cut(action, ":")
	if !ok || !isName(svc) || !isName(op) {
		return fmt.Sprintf("Action %q is not of the form <Service>:<Operation>; did you mean %q?", action, near)
	}
	if strings.EqualFold(action, near) || d <= 1 {
		return fmt.Sprintf("unknown Action %q; did you mean %q?", action, near)
	}
	for _, in := range integrations {
		known, _, _ := strings.Cut(in.action, ":")
		if svc != known && strings.EqualFold(svc, known) {
			return fmt.Sprintf("unknown Action %q: the service is spelled %s (as in %s)", action, known, in.action)
		}
	}
	return ""
}

// nearestAction is the documented action nearest to a, ignoring case.
func nearestAction(a string) (string, int) {
	best, bestD := "", 0
	for _, in := range integrations {
		d := suggest.Distance(a, in.action)
		if best == "" || d < bestD {
			best, bestD = in.action, d
		}
	}
	return best, bestD
}

// isName: a service or operation name is letters, digits, '_' and '-'.
func isName(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-'
	}) < 0
}

// checkParameters refuses, at their places, parameters the action's page
// does not list (with the nearest it does), required ones that are missing,
// and literal values outside a parameter's documented set. A parameter
// given as an expression ("name.$") counts as given; its value is known only
// when the state runs.
func (p *parser) checkParameters(m *mapping, st *State, in *integration) {
	what := "the Parameters of " + in.action
	pn := m.value("Parameters")
	var pm *mapping
	if pn != nil && pn.Kind == yaml.MappingNode {
		pm, _ = p.mapping(pn, st.Name, "Parameters")
	}
	given := map[string]bool{}
	if pm != nil {
		for _, k := range pm.keys {
			name := strings.TrimSuffix(k, ".$")
			given[name] = true
			if !slices.Contains(in.params(), name) {
				p.add(pm.knode[k], st.Name, unknownKey(name, what, in.params()))
				continue
			}
			if allowed := in.enums[name]; allowed != nil && name == k {
				p.checkEnum(pm.value(k), st.Name, in.action, name, allowed)
			}
		}
	}
	for _, r := range in.required {
		// A misspelling of r ("URL" for url) is refused above already.
		if !slices.ContainsFunc(slices.Collect(maps.Keys(given)), func(g string) bool { return strings.EqualFold(g, r) }) {
			at := pn
			if at == nil {
				at = m.value("Action")
			}
			p.add(at, st.Name, fmt.Sprintf("%s needs Parameters.%s (or %s.$, an expression); it takes %s",
				in.action, r, r, inWords(in.params())))
		}
	}
}

func (p *parser) checkEnum(v *yaml.Node, state, action, name string, allowed []string) {
	if v.Kind == yaml.ScalarNode && slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(a, v.Value) }) {
		return
	}
	p.add(v, state, fmt.Sprintf("%s: Parameters.%s is %q; want one of %s", action, name, v.Value, strings.Join(allowed, ", ")))
}
