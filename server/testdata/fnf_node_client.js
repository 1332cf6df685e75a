// Calls flowtui serve with the official Node.js SDK of fnf
// (@alicloud/fnf-2019-03-15, over @alicloud/pop-core), as a user's script
// would. server/node_test.go runs it: the calls come as JSON on stdin, one
// JSON line per call goes to stdout.
'use strict';

const Client = require('@alicloud/fnf-2019-03-15');

// The SDK's method of each action; DescribeRegions came after the SDK's
// last release and goes through its generic request, as its methods do.
const methods = {
  StartExecution: 'startExecution',
  DescribeExecution: 'describeExecution',
  ListExecutions: 'listExecutions',
  GetExecutionHistory: 'getExecutionHistory',
  StopExecution: 'stopExecution',
  ReportTaskSucceeded: 'reportTaskSucceeded',
  ReportTaskFailed: 'reportTaskFailed',
};

async function main() {
  let input = '';
  for await (const chunk of process.stdin) {
    input += chunk;
  }
  const client = new Client({
    endpoint: process.env.FNF_ENDPOINT,
    accessKeyId: process.env.FNF_ACCESS_KEY_ID,
    accessKeySecret: process.env.FNF_ACCESS_KEY_SECRET,
  });
  for (const call of JSON.parse(input)) {
    const options = { timeout: 10000 };
    if (call.headers) {
      options.headers = call.headers;
    }
    try {
      const name = methods[call.action];
      const body = name
        ? await client[name](call.params, options)
        : await client.request(call.action, call.params, Object.assign(options, { method: 'POST' }));
      console.log(JSON.stringify({ action: call.action, body }));
    } catch (err) {
      console.log(JSON.stringify({ action: call.action, code: err.code || err.name, message: err.message }));
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
