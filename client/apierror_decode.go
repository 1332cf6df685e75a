package client

import (
	"cmp"
	"encoding/json"
	"errors"

	"github.com/flowtui/flowtui/fnf"
)

// errorBody is the service's error shape; darabonba also accepts lower-case keys.
type errorBody struct {
	RequestID          string          `json:"RequestId"`
	RequestIDLower     string          `json:"requestId"`
	HostID             string          `json:"HostId"`
	Code               string          `json:"Code"`
	CodeLower          string          `json:"code"`
	Message            string          `json:"Message"`
	MessageLower       string          `json:"message"`
	Recommend          string          `json:"Recommend"`
	AccessDeniedDetail json.RawMessage `json:"AccessDeniedDetail"`
}

// parseAPIError reads an error body; ok is false when the body is not the
// service's JSON error shape (an HTML page from a proxy, a truncated body).
func parseAPIError(status int, body []byte) (*fnf.APIError, bool) {
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err != nil {
		return nil, false
	}
	e := &fnf.APIError{
		HTTPStatus:         status,
		Code:               cmp.Or(eb.Code, eb.CodeLower),
		Message:            cmp.Or(eb.Message, eb.MessageLower),
		RequestID:          cmp.Or(eb.RequestID, eb.RequestIDLower),
		HostID:             eb.HostID,
		Recommend:          eb.Recommend,
		AccessDeniedDetail: eb.AccessDeniedDetail,
	}
	if e.Code == "" {
		return nil, false
	}
	return e, true
}

// errNotAPIError marks an HTTP error whose body is not the service's error shape.
var errNotAPIError = errors.New("the body is not an fnf error response")
