import { DEFAULT_DB_RETRY_SEC, readServiceSettings } from '../../../src/config/service-settings';
import { SettingsError } from '../../../src/domain/errors';

describe('HPO_DB_RETRY_SEC: how long a scheduler holds results while the database is away', () => {
  it('defaults to a database restart or failover, and takes seconds from the environment', () => {
    expect(readServiceSettings({}, {}).dbRetrySec).toBe(DEFAULT_DB_RETRY_SEC);
    expect(readServiceSettings({}, { HPO_DB_RETRY_SEC: '42.5' }).dbRetrySec).toBe(42.5);
    expect(readServiceSettings({}, { HPO_DB_RETRY_SEC: '0' }).dbRetrySec).toBe(0);
    expect(readServiceSettings({}, { HPO_DB_RETRY_SEC: '' }).dbRetrySec).toBe(DEFAULT_DB_RETRY_SEC);
  });

  it.each(['-1', 'soon', 'Infinity'])('refuses %p, naming the setting', (value) => {
    expect(() => readServiceSettings({}, { HPO_DB_RETRY_SEC: value })).toThrow(SettingsError);
    expect(() => readServiceSettings({}, { HPO_DB_RETRY_SEC: value })).toThrow(/HPO_DB_RETRY_SEC must be a number of seconds >= 0/);
  });
});
