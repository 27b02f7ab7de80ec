/**
 * Runs once before the suites: asks the test PostgreSQL server whether it is there, so that its
 * suites are reported as skipped (not silently passed) when it is not. With HPO_REQUIRE_POSTGRES=1
 * (CI) a missing server fails the run instead.
 */
module.exports = async function globalSetup() {
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
