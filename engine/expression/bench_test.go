package expression

import (
	"encoding/json"
	"testing"
)

func benchInput(b *testing.B) any {
	b.Helper()
	var in any
	if err := json.Unmarshal([]byte(`{"status":"ready","name":"Tom","order":{"id":"o-1","total":150,
		"items":[{"sku":"a","price":5},{"sku":"b","price":7}],"customer":{"tier":"gold","tags":["vip","new"]}}}`), &in); err != nil {
		b.Fatal(err)
	}
	return in
}

func BenchmarkEvalCondition(b *testing.B) {
	p, err := Compile(`$Input.status == "ready" && $Input.order.total > 100`)
	if err != nil {
		b.Fatal(err)
	}
	env := Env{Input: benchInput(b)}
	b.ReportAllocs()
	for b.Loop() {
		ok, err := p.EvalBool(env)
		if err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkTemplate(b *testing.B) {
	t, err := CompileTemplate(map[string]any{
		"id.$":       `$Input.order.id`,
		"greeting.$": `format("hello {}", $Input.name)`,
		"first.$":    `$Input.order.items[0].price`,
		"vip.$":      `"vip" in $Input.order.customer.tags`,
		"count.$":    `length($Input.order.items)`,
	})
	if err != nil {
		b.Fatal(err)
	}
	env := Env{Input: benchInput(b)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := t.Eval(env); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(`$Input.status == "ready" && $Input.order.total > 100`); err != nil {
			b.Fatal(err)
		}
	}
}
