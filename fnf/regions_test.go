package fnf

import "testing"

// The public endpoints of https://www.alibabacloud.com/help/en/serverless-workflow/latest/call-method:
// China (Hangzhou) cn-hangzhou.fnf.aliyuncs.com, China (Shanghai), China
// (Beijing), China (Qingdao), China (Shenzhen), Singapore and US (Silicon
// Valley), each {region}.fnf.aliyuncs.com.
func TestRegionsAreThePublicEndpointsOfTheCallMethodPage(t *testing.T) {
	want := map[string]string{
		"cn-hangzhou": "China (Hangzhou)", "cn-shanghai": "China (Shanghai)", "cn-beijing": "China (Beijing)",
		"cn-qingdao": "China (Qingdao)", "cn-shenzhen": "China (Shenzhen)", "ap-southeast-1": "Singapore",
		"us-west-1": "US (Silicon Valley)",
	}
	got := Regions()
	if len(got) != len(want) {
		t.Fatalf("%d regions; want %d", len(got), len(want))
	}
	for _, r := range got {
		if want[r.RegionId] != r.LocalName || r.RegionEndpoint != r.RegionId+".fnf.aliyuncs.com" {
			t.Errorf("%+v; want %q at %s.fnf.aliyuncs.com", r, want[r.RegionId], r.RegionId)
		}
	}
	for _, lang := range []string{"", "zh-CN"} {
		if zh := RegionsIn(lang); zh[0].LocalName != "华东1（杭州）" || zh[0].RegionId != "cn-hangzhou" {
			t.Errorf("%q: %+v; want the Chinese names, the service's default", lang, zh[0])
		}
	}
	Regions()[0].LocalName = "changed"
	if Regions()[0].LocalName != "China (Hangzhou)" {
		t.Error("a caller changed the list")
	}
}
