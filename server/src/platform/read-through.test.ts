import { describe, expect, it } from 'vitest';
import { createReadThrough } from './read-through.ts';

describe('read-through answers', () => {
  it('keeps an answer only when the version did not move while computing it, and serves it while the version stays', async () => {
    let version = 1;
    let computed = 0;
    const kept = createReadThrough<number>({ max: 10 });
    const compute = async () => ++computed;
    const v = async () => version;
    expect(await kept.get('a', v, compute)).toBe(1);
    expect(await kept.get('a', v, compute)).toBe(1);
    expect(computed).toBe(1);
    version = 2; // a commit: the kept answer is not served again
    expect(await kept.get('a', v, compute)).toBe(2);
    // A commit lands while computing: the answer is returned but not kept.
    const racing = async () => {
      const n = ++computed;
      version++;
      return n;
    };
    version = 3;
    expect(await kept.get('b', v, racing)).toBe(3);
    expect(await kept.get('b', v, compute)).toBe(4);
    expect(kept.stats()).toMatchObject({ hits: 1, misses: 4 });
  });

  it('shares one computation among identical requests, and drops the least recently used past max', async () => {
    let computed = 0;
    const seven = async () => 7;
    const kept = createReadThrough<string>({ max: 2 });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow = async () => {
      computed++;
      await gate;
      return 'x';
    };
    const all = Promise.all(Array.from({ length: 20 }, () => kept.get('same', seven, slow)));
    await new Promise((r) => setTimeout(r, 10));
    release();
    expect(await all).toEqual(Array(20).fill('x'));
    expect(computed).toBe(1);
    await kept.get('k2', seven, async () => 'y');
    await kept.get('same', seven, slow); // touch: now the most recent
    await kept.get('k3', seven, async () => 'z'); // drops k2
    expect(kept.stats().size).toBe(2);
    await kept.get('same', seven, slow);
    expect(computed).toBe(1); // still kept
    let again = 0;
    await kept.get('k2', seven, async () => String(++again));
    expect(again).toBe(1); // was dropped, computed again
  });
});
