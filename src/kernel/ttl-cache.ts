/**
 * A small per-process cache whose entries expire after `ttlMs`. For reference data read on every request
 * (unit chains, catalogue routes, webhook lists) that other processes may change: a change is seen everywhere
 * within `ttlMs`, and the process that made it can `clear()` at once.
 */
export interface TtlCache<K, V> {
  get(key: K, load: () => Promise<V>): Promise<V>;
  clear(): void;
}

export function ttlCache<K, V>(ttlMs: number, now: () => number = () => Date.now(), maxEntries = 10_000): TtlCache<K, V> {
  const entries = new Map<K, { at: number; value: Promise<V> }>();
  return {
    get(key, load) {
      const hit = entries.get(key);
      const t = now();
      if (hit && t - hit.at < ttlMs) return hit.value;
      if (entries.size >= maxEntries) entries.clear();
      const value = load();
      entries.set(key, { at: t, value });
      // A failed load is not remembered.
      value.catch(() => entries.delete(key));
      return value;
    },
    clear() {
      entries.clear();
    },
  };
}
