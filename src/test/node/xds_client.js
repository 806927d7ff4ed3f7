// Proxyless gRPC client on grpc-js with grpc-js-xds (Node): dials an xds:/// target and, for each
// number N read from stdin, calls echo.Echo/Who N times and prints one JSON line counting the
// answers by backend. Exits at end of input.
//
// Usage: NODE_PATH=<node_modules> GRPC_XDS_BOOTSTRAP_CONFIG='{...}' node xds_client.js xds:///echo.test
'use strict';

const grpc = require('@grpc/grpc-js');
require('@grpc/grpc-js-xds').register();
const readline = require('readline');

const client = new grpc.Client(process.argv[2], grpc.credentials.createInsecure());
const toBytes = (s) => Buffer.from(s, 'utf8');
const fromBytes = (b) => b.toString('utf8');

function who() {
  return new Promise((resolve, reject) => {
    const deadline = new Date(Date.now() + 30000);
    client.makeUnaryRequest('/echo.Echo/Who', toBytes, fromBytes, 'hi', new grpc.Metadata({ waitForReady: true }),
      { deadline }, (err, answer) => (err ? reject(err) : resolve(answer)));
  });
}

async function calls(n) {
  const counts = {};
  for (let i = 0; i < n; i++) {
    const answer = await who();
    counts[answer] = (counts[answer] || 0) + 1;
  }
  return counts;
}

const lines = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    try {
      const counts = await calls(parseInt(line, 10));
      process.stdout.write(JSON.stringify(counts, Object.keys(counts).sort()) + '\n');
    } catch (e) {
      process.stdout.write(JSON.stringify({ error: String(e.message || e) }) + '\n');
    }
  });
});
lines.on('close', () => queue.then(() => { client.close(); process.exit(0); }));
