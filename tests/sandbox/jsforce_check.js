'use strict';
// The sandbox's fidelity proof: the unmodified jsforce client (pinned in package.json) runs a
// contact-sync workload against crmsync-sandbox and asserts every result.
//   node jsforce_check.js SANDBOX_BINARY [SEED_DIR]
// Exit 0: all checks passed; 1: a check failed; 77: jsforce is not installed (ctest SKIP).
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

let jsforce;
try {
  jsforce = require('jsforce');
} catch (error) {
  console.log('SKIP: jsforce is not installed; run `npm ci` in tests/sandbox');
  process.exit(77);
}

const [binary, seedDir] = process.argv.slice(2);
const BULK_ROWS = 3000;
const COLLECTION_SIZE = 250;

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

function startSandbox() {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'crmsync-jsforce-'));
  const args = ['--listen', '127.0.0.1:0', '--state', state];
  if (seedDir) args.push('--seed', seedDir);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('sandbox not listening within 20 s')), 20000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/listening on (\S+)\n/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited early (${code})`)));
  });
  return { child, state, ready };
}

async function singleRecords(conn) {
  const contacts = conn.sobject('Contact');
  const created = await contacts.create({ FirstName: 'Js', LastName: 'Single', Email: 'single@jsforce.example' });
  check(created.success && created.id.startsWith('003') && created.id.length === 18, 'single create');
  const read = await contacts.retrieve(created.id);
  check(read.LastName === 'Single' && read.attributes.type === 'Contact', 'retrieve');
  const updated = await contacts.update({ Id: created.id, Title: 'Updated' });
  check(updated.success, 'single update');
  check((await contacts.retrieve(created.id)).Title === 'Updated', 'update applied');
  const upserted = await contacts.upsert({ Email: 'upsert@jsforce.example', LastName: 'Upsert' }, 'Email');
  check(upserted.success && upserted.created === true, 'upsert creates');
  const again = await contacts.upsert({ Email: 'upsert@jsforce.example', Title: 'Again' }, 'Email');
  check(again.success && again.created === false && again.id === upserted.id, 'upsert updates');
  const removed = await contacts.destroy(created.id);
  check(removed.success, 'single delete');
  let notFound = null;
  try {
    await contacts.retrieve(created.id);
  } catch (error) {
    notFound = error;
  }
  check(notFound && notFound.errorCode === 'NOT_FOUND', `deleted record is NOT_FOUND (${notFound})`);
}

async function collections(conn) {
  const contacts = conn.sobject('Contact');
  const records = Array.from({ length: COLLECTION_SIZE }, (_, i) => ({
    LastName: `Collection${i}`, Email: `c${i}@jsforce.example`,
  }));
  const created = await contacts.create(records, { allowRecursive: true });
  check(created.length === COLLECTION_SIZE && created.every((r) => r.success), 'collection create of 250');
  const updates = created.map((r, i) => ({ Id: r.id, Title: `T${i}` }));
  const updated = await contacts.update(updates, { allowRecursive: true });
  check(updated.every((r) => r.success), 'collection update of 250');
  const upserts = records.map((r, i) => ({ Email: r.Email, Department: `D${i}` }));
  const upserted = await contacts.upsert(upserts, 'Email', { allowRecursive: true });
  check(upserted.length === COLLECTION_SIZE && upserted.every((r) => r.success && r.created === false),
    'collection upsert of 250 matches existing records');
  const bad = await contacts.create([{ LastName: 'Fine' }, { FirstName: 'NoLastName' }]);
  check(bad[0].success && !bad[1].success && bad[1].errors[0].statusCode === 'REQUIRED_FIELD_MISSING',
    'per-record collection errors');
  const removed = await contacts.destroy(created.map((r) => r.id), { allowRecursive: true });
  check(removed.every((r) => r.success), 'collection delete of 250');
}

async function bulkLoad(conn) {
  const lines = ['FirstName,LastName,Email'];
  for (let i = 0; i < BULK_ROWS; i += 1) lines.push(`Bulk,Bulk${i},"b${i}@jsforce.example"`);
  lines.push('NoLast,,nolast@jsforce.example');
  const results = await conn.bulk2.loadAndWaitForResults({
    object: 'Contact', operation: 'insert', input: `${lines.join('\n')}\n`, pollInterval: 20, pollTimeout: 60000,
  });
  check(results.successfulResults.length === BULK_ROWS, `bulk successes ${results.successfulResults.length}`);
  check(results.successfulResults.every((r) => r.sf__Id.startsWith('003') && r.sf__Created === 'true'),
    'bulk sf__Id and sf__Created');
  check(results.failedResults.length === 1
    && results.failedResults[0].sf__Error.startsWith('REQUIRED_FIELD_MISSING:'), 'bulk failed row');
  check(results.unprocessedRecords.length === 0, 'no unprocessed rows');
}

async function queryAutoFetch(conn) {
  const result = await conn.query("SELECT Id, LastName FROM Contact WHERE FirstName = 'Bulk'")
    .run({ autoFetch: true, maxFetch: 100000 });
  check(result.totalSize === BULK_ROWS, `query totalSize ${result.totalSize}`);
  check(result.records.length === BULK_ROWS, `autoFetch across pages got ${result.records.length}`);
  check(new Set(result.records.map((r) => r.Id)).size === BULK_ROWS, 'pages do not overlap');
}

async function bulkQuery(conn) {
  const stream = await conn.bulk2.query("SELECT Id, LastName FROM Contact WHERE FirstName = 'Bulk'",
    { pollInterval: 20, pollTimeout: 60000 });
  const records = await new Promise((resolve, reject) => {
    const rows = [];
    stream.on('record', (record) => rows.push(record));
    stream.on('error', reject);
    stream.on('end', () => resolve(rows));
  });
  check(records.length === BULK_ROWS, `bulk query rows ${records.length}`);
  check(records.every((r) => r.Id.startsWith('003') && r.LastName.startsWith('Bulk')), 'bulk query columns');
}

async function main() {
  check(binary, 'usage: node jsforce_check.js SANDBOX_BINARY [SEED_DIR]');
  const sandbox = startSandbox();
  try {
    const url = await sandbox.ready;
    const conn = new jsforce.Connection({
      version: '66.0',
      oauth2: { loginUrl: url, clientId: 'crmsync-sandbox', clientSecret: 'sandbox-secret' },
    });
    await conn.authorize({ grant_type: 'client_credentials' });
    check(conn.instanceUrl === url && conn.accessToken.startsWith('00D'), 'client credentials token');
    const describe = await conn.sobject('Contact').describe();
    check(describe.name === 'Contact' && describe.keyPrefix === '003', 'describe');
    check(describe.fields.some((f) => f.name === 'Email' && f.type === 'email'), 'describe fields');
    for (const [name, step] of Object.entries({ singleRecords, collections, bulkLoad, queryAutoFetch, bulkQuery })) {
      await step(conn);
      console.log(`ok ${name}`);
    }
  } finally {
    sandbox.child.kill('SIGTERM');
    fs.rmSync(sandbox.state, { recursive: true, force: true });
  }
}

main().then(() => {
  console.log('jsforce against crmsync-sandbox: all checks passed');
  process.exit(0);
}, (error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
