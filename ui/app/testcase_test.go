package app

import (
	"context"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/history"
)

// The picker lists each test case once and marks the one in force; the
// chosen one shows in the Input title while it is in force, and the run
// takes it.
func TestTheTestCasePickerListsEachCaseOnceAndMarksTheOneInForce(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("charge-with-retry")
	openPicker := func() string {
		h.key("ctrl+p")
		h.typeText("test case")
		h.key("enter")
		return h.screen()
	}
	s := openPicker()
	if n := strings.Count(s, "Default"); n != 1 {
		t.Fatalf("Default listed %d times:\n%s", n, s)
	}
	if !strings.Contains(s, "● Default") || !strings.Contains(s, "  Declined") {
		t.Fatalf("Default (in force) not marked:\n%s", s)
	}
	h.typeText("Decl")
	h.key("enter")
	h.wantScreen("Input · charge-with-retry · test case Declined")

	s = openPicker()
	if !strings.Contains(s, "● Declined") || strings.Contains(s, "● Default") {
		t.Fatalf("Declined (in force) not marked:\n%s", s)
	}
	h.key("esc")
	h.key("ctrl+r")
	runs, err := h.history.List(context.Background(), history.Filter{})
	if err != nil || len(runs) != 1 || runs[0].TestCase != "Declined" {
		t.Fatalf("history %+v, %v: want one run of test case Declined", runs, err)
	}

	// Another flow has its own (none); coming back, Declined is still in force.
	h.setFocusTo(paneFlows)
	h.key("down")
	if strings.Contains(h.screen(), "test case Declined") {
		t.Fatalf("the test case of charge-with-retry shows on another flow:\n%s", h.screen())
	}
	h.key("up")
	h.wantScreen("test case Declined")
}

// Against an --endpoint (flowtui serve), the test cases live in the
// endpoint's mock file: the picker takes a typed name, which the Input
// title shows and the run carries.
func TestATestCaseIsTypedForAnEndpoint(t *testing.T) {
	h := newHarness(t, 120, 40, func(o *Options) {
		o.Backend, o.Args = cloudInfo{mustLocal(t)}, []string{"--endpoint", "http://127.0.0.1:9791"}
	})
	h.selectFlow("charge-with-retry")
	h.key("ctrl+p")
	h.typeText("mock test")
	h.key("enter")
	h.typeText("Declined")
	h.key("enter")
	h.wantScreen("test case Declined")
	h.key("ctrl+r")
	runs, err := h.history.List(context.Background(), history.Filter{Flow: "charge-with-retry"})
	if err != nil || len(runs) != 1 || runs[0].TestCase != "Declined" {
		t.Fatalf("runs %+v, %v: want one run with the test case typed", runs, err)
	}
}
