package app

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
)

// A run opened from the history whose stored trace does not decode says so
// in the Trace tab; it is not shown as a run that recorded no trace.
func TestOpenedRunWithAnUnreadableTraceSaysSo(t *testing.T) {
	h := newHarness(t, 160, 40)
	_, err := h.history.Add(context.Background(), history.Run{FlowName: "order-routing", Name: "broken:1",
		Backend: fnf.KindLocal, Status: fnf.StatusSucceeded, Input: "{}", Output: "{}", Trace: `[{"State":`,
		ClientStart: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	h.selectFlow("order-routing")
	h.setFocusTo(paneRuns)
	h.key("enter")
	h.setFocusTo(paneResult)
	h.key("4")
	h.wantScreen("the recorded trace could not be read", "not a list of steps")
	if strings.Contains(h.screen(), "no trace was recorded") {
		t.Fatalf("an unreadable trace shown as none:\n%s", h.screen())
	}
}

// The view of a recorded run is the row itself: every field of the row
// reaches the panes, including any a later change adds to history.Run.
func TestViewFromHistoryKeepsEveryFieldOfTheRow(t *testing.T) {
	var r history.Run
	rv := reflect.ValueOf(&r).Elem()
	for i := range rv.NumField() {
		f := rv.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("x" + rv.Type().Field(i).Name)
		case reflect.Int, reflect.Int64:
			f.SetInt(int64(400 + i))
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Struct: // time.Time
			f.Set(reflect.ValueOf(time.Date(2026, 11, 25, 10, 0, i, 0, time.UTC)))
		default:
			t.Fatalf("history.Run.%s: a %s this test does not fill", rv.Type().Field(i).Name, f.Kind())
		}
	}
	r.Status, r.Trace = fnf.StatusError, `[{"State":"A","Type":"Pass"}]`
	v := viewFromHistory(r)
	if !reflect.DeepEqual(v.Run, r) {
		t.Fatalf("the view changed the row:\n%+v\n%+v", v.Run, r)
	}
	if len(v.Steps) != 1 || v.Steps[0].State != "A" || v.TraceErr != nil {
		t.Errorf("steps %+v, %v", v.Steps, v.TraceErr)
	}
	var ae *fnf.APIError
	if !errors.As(v.Err, &ae) || ae.Code != r.ErrorCode || ae.RequestID != r.RequestID {
		t.Errorf("the call's error is not rebuilt: %#v", v.Err)
	}
}
