package fnf

import (
	"strings"
	"testing"
)

// EntityTooLarge bounds the whole request body, the input as form-encoded
// plus the other parameters: an input just under 1 MiB can be refused, so
// the explanation does not promise that one under 1 MiB passes.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution
func TestEntityTooLargeExplainsTheBoundIsOnTheWholeRequest(t *testing.T) {
	x := (&APIError{Code: CodeEntityTooLarge, Action: "StartExecution"}).Explain()
	text := x.Meaning + " " + x.Fix
	for _, want := range []string{"whole request", "form-encoded", "other parameters"} {
		if !strings.Contains(text, want) {
			t.Errorf("the explanation does not say %q: %s", want, text)
		}
	}
	if strings.Contains(text, "below 1 MiB") {
		t.Errorf("the explanation promises that an input below 1 MiB passes: %s", text)
	}
}
