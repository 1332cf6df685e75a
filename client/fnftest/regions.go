package fnftest

import (
	"net/http"
	"strconv"
)

// regions is what DescribeRegions lists, with the local names per language.
var regions = []struct{ id, zh, en string }{
	{"cn-hangzhou", "华东1（杭州）", "China (Hangzhou)"},
	{"cn-shanghai", "华东2（上海）", "China (Shanghai)"},
	{"cn-beijing", "华北2（北京）", "China (Beijing)"},
	{"cn-shenzhen", "华南1（深圳）", "China (Shenzhen)"},
	{"ap-southeast-1", "新加坡", "Singapore"},
}

type region struct{ RegionId, RegionEndpoint, LocalName string }

func (s *Server) describeRegions(w http.ResponseWriter, c *call) {
	lang := c.params.Get("AcceptLanguage")
	if lang != "" && lang != "zh-CN" && lang != "en-US" {
		s.fail(w, c, invalidArg("AcceptLanguage %s is invalid; use zh-CN or en-US.", lang))
		return
	}
	var resp struct {
		RequestId string
		Regions   struct{ Region []region }
	}
	resp.RequestId = c.id
	for _, r := range regions {
		name := r.zh
		if lang == "en-US" {
			name = r.en
		}
		resp.Regions.Region = append(resp.Regions.Region, region{r.id, r.id + ".fnf.aliyuncs.com", name})
	}
	s.ok(w, c, resp)
}

// intParam reads an integer parameter within [lo, hi], or def when absent.
func intParam(c *call, name string, def, lo, hi int) (int, *apiError) {
	v := c.params.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, invalidArg("%s %s is invalid; it must be an integer from %d to %d.", name, v, lo, hi)
	}
	return n, nil
}
