// Package server is `flowtui serve`: the fnf 2019-03-15 RPC API of Alibaba
// Cloud CloudFlow over flowtui's embedded engine, so that the official SDKs,
// the aliyun CLI and flowtui's own cloud client can run flows locally or in CI.
//
// Wire protocol, as the API reference describes it (StartSyncExecution:
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startsyncexecution;
// the common RPC request and its V2 signature:
// https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism;
// the V3 signature:
// https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature):
// GET and POST on /, parameters from the
// query string and from an application/x-www-form-urlencoded body alike
// (official clients differ), JSON answers. Every answer carries a RequestId,
// in the body and in the x-acs-request-id header; errors have the service's
// body {RequestId, HostId, Code, Message} and the documented HTTP status.
//
// Actions: ListFlows (Limit 1–999, default 60; NextToken is the name of the
// first flow of the next page, absent on the last), DescribeFlow, CreateFlow,
// UpdateFlow and DeleteFlow (in memory, over the flows of --flows and the demo
// flows; files are never written), StartSyncExecution (Express flows only).
//
// Authentication: the V2 RPC signature (HMAC-SHA1, SignatureVersion 1.0, what
// the fnf SDKs send) and the V3 header signature (ACS3-HMAC-SHA256), verified
// against one configured key pair, with the service's 15-minute window on
// timestamps and a bounded cache of nonces (see nonceCache). An STS
// SecurityToken (the parameter, or the x-acs-security-token header) is
// accepted and ignored: there is no STS here to check it against, and
// requests are verified with the key pair alone.
//
// What this server does not do: Standard executions (StartExecution and the
// execution APIs), versions and aliases (a Qualifier is ignored), schedules,
// RAM policies (every verified request may do everything), XML answers.
//
// Concurrency: executions run in parallel, each on its request's goroutine;
// past Config.MaxConcurrent running at once, StartSyncExecution answers 429
// ResourceThrottled at once rather than queueing. A run whose client goes
// away is cancelled at its next state.
//
// Size: a request over 1 MiB (query string and body together) is answered
// 400 EntityTooLarge however large it is, body or headers; the rest of what
// the client sends is read and dropped, within bounds, so that a client that
// reads only after sending still receives the answer.
//
// Shutdown (Serve's context ends): new connections are refused, a request
// still arriving on an open connection is answered 503 ServiceUnavailable,
// requests in flight have the grace period to finish, and runs still going
// past it are cancelled and answered 503. Every request gets a whole answer.
package server
