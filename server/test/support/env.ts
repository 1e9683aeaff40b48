import { redactUrl, withDatabase } from '../../src/config/database-url.js';

export { redactUrl, withDatabase };
/** Where the integration tests find their services; `.ci/provision.sh` makes these defaults work. */
export const TEST_PG_URL = process.env.WEIR_TEST_PG_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.WEIR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6390';

/** Test databases are named `weir_test_<run id>_<random>`; the run id lets teardown drop only its own. */
export const TEST_DATABASE_PREFIX = 'weir_test_';
