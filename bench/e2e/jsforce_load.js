'use strict';
// The peer of the end-to-end benchmark: the unmodified jsforce (pinned in tests/sandbox) loads
// a CSV of contacts into the sandbox through Bulk API 2.0, as an integration script would.
//   node jsforce_load.js SANDBOX_URL CONTACTS.csv   -> prints {"records":N,"failed":N,"seconds":S}
const fs = require('fs');
const path = require('path');

const jsforce = require(path.join(__dirname, '../../tests/sandbox/node_modules/jsforce'));

async function main() {
  const [url, file] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const conn = new jsforce.Connection({
    version: '66.0',
    oauth2: { loginUrl: url, clientId: 'crmsync-sandbox', clientSecret: 'sandbox-secret' },
  });
  await conn.authorize({ grant_type: 'client_credentials' });
  const results = await conn.bulk2.loadAndWaitForResults({
    object: 'Contact', operation: 'insert', input: fs.readFileSync(file, 'utf8'),
    pollInterval: 50, pollTimeout: 600000,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({
    records: results.successfulResults.length, failed: results.failedResults.length, seconds,
  }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
