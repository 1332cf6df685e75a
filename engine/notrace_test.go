package engine

import (
	"context"
	"testing"
)

func TestNoTraceRunsWithoutATrace(t *testing.T) {
	def, err := Parse("t.yaml", []byte("Type: StateMachine\nName: t\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    End: true\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := Runner{NoTrace: true}
	res, err := r.Run(context.Background(), def, RunRequest{Flow: "t", Input: `{"a":1}`})
	if err != nil || res.Status != "Succeeded" || res.Output != `{"a":1}` || len(res.Trace) != 0 {
		t.Fatalf("got %+v, %v", res, err)
	}
}
