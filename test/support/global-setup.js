/**
 * Runs once before the suites: asks the test PostgreSQL server whether it is there, so that its
 * suites are reported as skipped (not silently passed) when it is not. With HPO_REQUIRE_POSTGRES=1
 * (CI) a missing server fails the run instead.
 */
module.exports = async function globalSetup() {
  await probeRedis();
  const { Client } = require('pg');
  const url = process.env.HPO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    process.env.HPO_TEST_POSTGRES = 'available';
  } catch (error) {
    if (process.env.HPO_REQUIRE_POSTGRES === '1')
      throw new Error(`PostgreSQL is required (HPO_REQUIRE_POSTGRES=1) but ${url} did not answer: ${error.message}`);
    process.env.HPO_TEST_POSTGRES = 'missing';
    process.stderr.write(`\nPostgreSQL at ${url} did not answer: its suites are reported as skipped.\n`);
  }
};

/**
 * The same for Redis (the fleet suites' queue): `HPO_TEST_REDIS` is set to available or missing,
 * and with HPO_REQUIRE_REDIS=1 (CI) a missing server fails the run.
 */
async function probeRedis() {
  const net = require('node:net');
  const url = new URL(process.env.HPO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const ok = await new Promise((resolve) => {
    const socket = net.connect(Number(url.port || 6379), url.hostname);
    const done = (value) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(2000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
  if (ok) process.env.HPO_TEST_REDIS = 'available';
  else if (process.env.HPO_REQUIRE_REDIS === '1') throw new Error(`Redis is required (HPO_REQUIRE_REDIS=1) but ${url} did not answer PING`);
  else {
    process.env.HPO_TEST_REDIS = 'missing';
    process.stderr.write(`\nRedis at ${url} did not answer: the fleet suites are reported as skipped.\n`);
  }
}
