import { ModelChange } from '../../src/registry/ports/model-notifications.port';
import { PgModelNotifications } from '../../src/storage/sql/pg-model-notifications';
import { describePostgres, postgresTarget, TestTarget } from '../support/storage-targets';
import { until } from '../support/waiting';

describePostgres('model changes between processes on one PostgreSQL database (LISTEN/NOTIFY)', () => {
  let db: TestTarget;
  const open: PgModelNotifications[] = [];
  beforeAll(async () => {
    db = await postgresTarget();
  });
  afterAll(async () => {
    await Promise.all(open.map((n) => n.close()));
    await db.drop();
  });

  it('tells every other process of a change at once, and not the one that made it', async () => {
    const url = (db.target as { url: string }).url;
    const heard: Record<string, ModelChange[]> = { a: [], b: [], c: [] };
    for (const name of ['a', 'b', 'c']) {
      const n = new PgModelNotifications(url);
      await n.subscribe((change) => heard[name].push(change));
      open.push(n);
    }
    const sent = Date.now();
    await open[0].publish({ model: 'iris', deletedVersion: 3 });
    await until(() => (heard.b.length && heard.c.length ? true : undefined), 2_000, 'both to hear');
    expect(Date.now() - sent).toBeLessThan(1_000);
    expect(heard.b).toEqual([{ model: 'iris', deletedVersion: 3 }]);
    expect(heard.c).toEqual([{ model: 'iris', deletedVersion: 3 }]);
    expect(heard.a).toEqual([]);
  });
});
