package fnf

import "strings"

// regions are CloudFlow's public regions and their public endpoints, as the
// API's "call method" page lists them
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/call-method),
// with their names in English and in Chinese (DescribeRegions'
// AcceptLanguage en-US and zh-CN).
var regions = []struct{ id, en, zh string }{
	{"cn-hangzhou", "China (Hangzhou)", "华东1（杭州）"},
	{"cn-shanghai", "China (Shanghai)", "华东2（上海）"},
	{"cn-qingdao", "China (Qingdao)", "华北1（青岛）"},
	{"cn-beijing", "China (Beijing)", "华北2（北京）"},
	{"cn-shenzhen", "China (Shenzhen)", "华南1（深圳）"},
	{"ap-southeast-1", "Singapore", "新加坡"},
	{"us-west-1", "US (Silicon Valley)", "美国（硅谷）"},
}

// Regions is the static list of CloudFlow's public regions, named in
// English: the answer of a local engine's DescribeRegions, and the offline
// fallback of any caller that cannot ask the service.
func Regions() []Region { return RegionsIn("en-US") }

// RegionsIn is Regions with LocalName in the language asked for, as
// DescribeRegions' AcceptLanguage: zh-CN (the service's default, also for
// "") or en-US (any other language).
func RegionsIn(lang string) []Region {
	zh := lang == "" || strings.HasPrefix(strings.ToLower(lang), "zh")
	out := make([]Region, len(regions))
	for i, r := range regions {
		name := r.en
		if zh {
			name = r.zh
		}
		out[i] = Region{RegionId: r.id, RegionEndpoint: RegionEndpoint(r.id), LocalName: name}
	}
	return out
}

// RegionEndpoint is a region's public endpoint: {region}.fnf.aliyuncs.com.
func RegionEndpoint(region string) string { return region + ".fnf.aliyuncs.com" }
