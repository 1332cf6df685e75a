package app

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/palette"
)

// cloudRegions is the local engine posing as the cloud in cn-shanghai, with
// the DescribeRegions answer a test gives.
type cloudRegions struct {
	*engine.Local
	regions []fnf.Region
	err     error
	calls   *int
}

func (c cloudRegions) Info() fnf.Info {
	return fnf.Info{Kind: fnf.KindCloud, Region: "cn-shanghai", Profile: "dev"}
}

func (c cloudRegions) DescribeRegions(context.Context, string) ([]fnf.Region, error) {
	*c.calls++
	return c.regions, c.err
}

// regionsHarness is a root on a backend whose DescribeRegions answers
// regions or err, with a switch that records what it was asked for.
func regionsHarness(t *testing.T, b func(*engine.Local) fnf.Backend) (*harness, *[]string) {
	t.Helper()
	local, err := engine.NewLocal(engine.LocalOptions{Demos: true})
	if err != nil {
		t.Fatal(err)
	}
	var switched []string
	h := newHarness(t, 120, 40, func(o *Options) {
		o.Backend = b(local)
		o.Choices = []palette.Item{{ID: "local", Title: "local · embedded engine"}, {ID: "profile:dev", Title: "profile · dev"}}
		o.Switch = func(id string) (fnf.Backend, []string, error) {
			switched = append(switched, id)
			return nil, nil, errors.New("not in this test")
		}
	})
	return h, &switched
}

func (h *harness) openRegionPicker() {
	h.t.Helper()
	h.key("ctrl+p")
	h.typeText("switch profile")
	h.key("enter")
}

// The picker lists the regions the service names, and choosing one switches
// to it (DescribeRegions,
// https://help.aliyun.com/document_detail/2869625.html).
func TestTheRegionPickerListsTheServicesRegions(t *testing.T) {
	calls := 0
	h, switched := regionsHarness(t, func(l *engine.Local) fnf.Backend {
		return cloudRegions{Local: l, calls: &calls, regions: []fnf.Region{
			{RegionId: "cn-shanghai", LocalName: "China (Shanghai)"},
			{RegionId: "cn-wulanchabu", LocalName: "China (Ulanqab)"},
		}}
	})
	h.openRegionPicker()
	h.wantScreen("regions from DescribeRegions", "region · cn-wulanchabu · China (Ulanqab)", "● region · cn-shanghai", "profile · dev")
	if calls != 1 || strings.Contains(h.screen(), "cn-hangzhou") {
		t.Fatalf("%d calls; the built-in list is still shown:\n%s", calls, h.screen())
	}
	h.typeText("ulanqab")
	h.key("enter")
	if len(*switched) != 1 || (*switched)[0] != "region:cn-wulanchabu" {
		t.Fatalf("switched to %v", *switched)
	}
}

// A failed call leaves the built-in list, and says so.
func TestTheRegionPickerFallsBackToTheBuiltInRegions(t *testing.T) {
	calls := 0
	h, _ := regionsHarness(t, func(l *engine.Local) fnf.Backend {
		return cloudRegions{Local: l, calls: &calls, err: errors.New("Forbidden.RAM: not authorized")}
	})
	h.openRegionPicker()
	h.wantScreen("built-in regions: call failed", "region · cn-hangzhou · China (Hangzhou)", "region · us-west-1")
	var logged bool
	for _, e := range h.model().status.Log() {
		logged = logged || strings.Contains(e.Text, "DescribeRegions: Forbidden.RAM") && strings.Contains(e.Text, "built-in regions")
	}
	if !logged {
		t.Fatalf("the failure is not said: %+v", h.model().status.Log())
	}
}

// The local engine's regions are the built-in list: nothing is asked.
func TestTheRegionPickerOnTheLocalEngineShowsTheBuiltInRegions(t *testing.T) {
	h, _ := regionsHarness(t, func(l *engine.Local) fnf.Backend { return l })
	h.openRegionPicker()
	h.wantScreen("built-in regions: local engine", "region · ap-southeast-1 · Singapore")
}

// An answer for a picker opened before is dropped.
func TestALateRegionsAnswerIsDropped(t *testing.T) {
	h, _ := regionsHarness(t, func(l *engine.Local) fnf.Backend { return l })
	h.openRegionPicker()
	h.send(regionsListed{seq: h.model().regionSeq - 1, regions: []fnf.Region{{RegionId: "xx-stale-1"}}})
	if strings.Contains(h.screen(), "xx-stale-1") {
		t.Fatalf("a stale answer replaced the regions:\n%s", h.screen())
	}
}
