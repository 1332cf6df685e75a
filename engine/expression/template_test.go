package expression

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func evalTemplate(t *testing.T, tmpl any, env Env) string {
	t.Helper()
	tp, err := CompileTemplate(tmpl)
	if err != nil {
		t.Fatalf("CompileTemplate: %v", err)
	}
	v, err := tp.Eval(env)
	if err != nil {
		t.Fatalf("Eval: %v", err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

func TestTemplateLiteralVsExpression(t *testing.T) {
	env := testEnv(t)
	tmpl := mustJSON(t, `{
		"FieldA": 123,
		"literal": "$Input.name",
		"name.$": "$Input.name",
		"greeting.$": "format(\"hello {}\", $Input.name)",
		"missing.$": "$Input.nope",
		"flag": true,
		"nothing": null
	}`)
	got := evalTemplate(t, tmpl, env)
	want := `{"FieldA":123,"flag":true,"greeting":"hello Tom","literal":"$Input.name","missing":null,"name":"Tom","nothing":null}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestTemplateNested(t *testing.T) {
	env := testEnv(t)
	tmpl := mustJSON(t, `{
		"order": {
			"id.$": "$Context.Execution.Name",
			"items": [ {"price.$": "$Input.order.items[0].price"}, "plain", 7, ["$Input.x", {"deep.$": "length($Input.tags)"}] ],
			"meta": {"retry.$": "$Context.Current.RetryCount", "fixed": {"k": "v"}}
		},
		"all.$": "$Input.order.items",
		"obj.$": "{\"a\": [1, $Input.n]}"
	}`)
	got := evalTemplate(t, tmpl, env)
	want := `{"all":[{"price":5},{"price":12.5}],"obj":{"a":[1,7]},"order":{"id":"exec-1",` +
		`"items":[{"price":5},"plain",7,["$Input.x",{"deep":2}]],"meta":{"fixed":{"k":"v"},"retry":2}}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestTemplateCaseD(t *testing.T) {
	// The example of the Pass state page: InputConstructor {FieldA: 123}
	// replaces the input.
	// https://www.alibabacloud.com/help/en/serverless-workflow/latest/pass-pass
	got := evalTemplate(t, map[string]any{"FieldA": 123}, Env{Input: map[string]any{"requestId": "abc-123"}})
	if got != `{"FieldA":123}` {
		t.Errorf("got %s", got)
	}
}

func TestTemplateFreshContainers(t *testing.T) {
	tp, err := CompileTemplate(map[string]any{"fixed": map[string]any{"k": "v"}, "list": []any{1}})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := tp.Eval(Env{})
	a.(map[string]any)["fixed"].(map[string]any)["k"] = "changed"
	a.(map[string]any)["list"].([]any)[0] = "changed"
	b, _ := tp.Eval(Env{})
	if got, _ := json.Marshal(b); string(got) != `{"fixed":{"k":"v"},"list":[1]}` {
		t.Errorf("template literal was mutated through a result: %s", got)
	}
}

func TestTemplateErrors(t *testing.T) {
	tests := []struct {
		tmpl       any
		path, want string
	}{
		{map[string]any{"a": map[string]any{"b.$": "$Input.a =="}}, "a.b.$", "unexpected end of expression"},
		{map[string]any{"x.$": 5}, "x.$", "value must be an expression string, got number"},
		{map[string]any{"x.$": ""}, "x.$", "expression is empty"},
		{map[string]any{".$": "1"}, ".$", "has no name"},
		{map[string]any{"a": 1, "a.$": "2"}, "a.$", `conflicts with key "a"`},
		{map[string]any{"l": []any{map[string]any{"v.$": "nope(1)"}}}, "l[0].v.$", "unknown function nope"},
		{map[string]any{"s": struct{}{}}, "s", "unsupported value of type struct {}"},
	}
	for _, tt := range tests {
		_, err := CompileTemplate(tt.tmpl)
		var te *TemplateError
		if !errors.As(err, &te) {
			t.Errorf("%v: %v; want *TemplateError", tt.tmpl, err)
			continue
		}
		if te.Path != tt.path || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: path %q err %v; want path %q containing %q", tt.tmpl, te.Path, err, tt.path, tt.want)
		}
		if !strings.HasPrefix(err.Error(), `key "`+tt.path+`": `) {
			t.Errorf("Error() = %q", err)
		}
	}
	// Compile errors inside keep the *Error for callers that want the column.
	_, err := CompileTemplate(map[string]any{"a.$": "$Input.a =="})
	var e *Error
	if !errors.As(err, &e) || e.Column != 11 {
		t.Errorf("unwrap: %v", err)
	}
}

func TestTemplateRuntimeError(t *testing.T) {
	tp, err := CompileTemplate(map[string]any{"ok.$": "1", "sub": map[string]any{"bad.$": "$Input.x < 1"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = tp.Eval(Env{})
	var te *TemplateError
	if !errors.As(err, &te) || te.Path != "sub.bad.$" || !strings.Contains(err.Error(), "cannot compare null < number") {
		t.Errorf("runtime error: %v", err)
	}
}

func TestTemplateScalarsAndYAMLShapes(t *testing.T) {
	// Non-object templates and Go-typed containers (as YAML decoders give).
	if got := evalTemplate(t, "plain", Env{}); got != `"plain"` {
		t.Errorf("scalar: %s", got)
	}
	got := evalTemplate(t, map[string]any{"n": 5, "list": []string{"a"}, "m": map[string]int{"x": 1}}, Env{})
	if got != `{"list":["a"],"m":{"x":1},"n":5}` {
		t.Errorf("shapes: %s", got)
	}
}
