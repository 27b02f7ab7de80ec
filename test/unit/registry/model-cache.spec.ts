import { ModelCache } from '../../../src/registry/model-cache';

class Fake {
  disposed = false;
  constructor(
    readonly name: string,
    readonly bytes = 10,
  ) {}
  dispose(): void {
    this.disposed = true;
  }
}

describe('model cache (LRU)', () => {
  const loaded: Fake[] = [];
  const loader =
    (name: string, bytes = 10) =>
    async () => {
      const f = new Fake(name, bytes);
      loaded.push(f);
      return f;
    };
  const get = (cache: ModelCache<Fake>, name: string, bytes = 10) => cache.use(name, loader(name, bytes), (f) => f);

  beforeEach(() => (loaded.length = 0));

  it('evicts the least recently used model past the count bound and frees it', async () => {
    const cache = new ModelCache<Fake>({ maxEntries: 2, maxBytes: Infinity });
    const a = await get(cache, 'a');
    await get(cache, 'b');
    await get(cache, 'a'); // a is now the most recent
    await get(cache, 'c');
    expect(cache.keys()).toEqual(['a', 'c']);
    expect(loaded.find((f) => f.name === 'b')!.disposed).toBe(true);
    expect(a.disposed).toBe(false);
    expect(await get(cache, 'a')).toBe(a);
    expect(loaded).toHaveLength(3);
  });

  it('bounds the bytes held', async () => {
    const cache = new ModelCache<Fake>({ maxEntries: 10, maxBytes: 25 });
    await get(cache, 'a', 10);
    await get(cache, 'b', 10);
    await get(cache, 'c', 10);
    expect(cache.keys()).toEqual(['b', 'c']);
    expect(cache.bytes).toBe(20);
  });

  it('shares one load between concurrent requests and does not keep a failed load', async () => {
    const cache = new ModelCache<Fake>({ maxEntries: 2, maxBytes: Infinity });
    const [x, y] = await Promise.all([get(cache, 'a'), get(cache, 'a')]);
    expect(x).toBe(y);
    expect(loaded).toHaveLength(1);
    await expect(
      cache.use(
        'bad',
        async () => Promise.reject(new Error('no such file')),
        () => 1,
      ),
    ).rejects.toThrow('no such file');
    expect(cache.has('bad')).toBe(false);
  });

  it('frees an evicted model only after the request using it is done', async () => {
    const cache = new ModelCache<Fake>({ maxEntries: 1, maxBytes: Infinity });
    let release!: () => void;
    const held = cache.use('a', loader('a'), (f) => new Promise<Fake>((r) => (release = () => r(f))));
    await new Promise((r) => setImmediate(r));
    await get(cache, 'b');
    const a = loaded[0];
    expect(cache.keys()).toEqual(['b']);
    expect(a.disposed).toBe(false);
    release();
    await held;
    expect(a.disposed).toBe(true);
  });
});
