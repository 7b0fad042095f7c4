// A sorted set of strings kept in blocks of at most BLOCK_MAX, so that one insert or delete in a folder of a million
// names moves a few hundred pointers instead of half a million. Order is JavaScript's string order (UTF-16 code
// units), the order every listing in the local cluster uses. Iteration is by key, not by position: a cursor that
// sees the set change between two steps re-seeks to the first key after the last one it returned, so a concurrent
// insert or delete never makes it skip or repeat a key that was present throughout.
// A set loaded from a saved index (fromPacked) keeps each block as a range of the file's bytes until it is first
// read or changed: the first page of a million-name bucket after a restart splits one block, not a million names.

const BLOCK_MAX = 1024;
const BLOCK_LOAD = BLOCK_MAX >> 1; // leave room in each block so the first inserts don't split at once

/** Keys still in a saved index's bytes: NUL-separated, sorted; `last` is decoded up front for the block search. */
interface PackedBlock {
  bytes: Buffer;
  last: string;
}
type Block = string[] | PackedBlock;

const unpack = (p: PackedBlock): string[] => p.bytes.toString('utf8').split('\0');
const lastOf = (b: Block): string => (Array.isArray(b) ? b[b.length - 1] : b.last);

export class SortedKeys {
  private blocks: Block[] = [];
  private count = 0;
  /** Bumped on every change; cursors compare it to know when their position may be stale. */
  private version = 0;

  /** Takes ownership of `sorted` (strictly increasing; the caller must not use it afterwards). */
  static fromSorted(sorted: string[]): SortedKeys {
    const s = new SortedKeys();
    if (sorted.length <= BLOCK_MAX) {
      if (sorted.length) s.blocks.push(sorted);
    } else {
      for (let i = 0; i < sorted.length; i += BLOCK_LOAD) s.blocks.push(sorted.slice(i, i + BLOCK_LOAD));
    }
    s.count = sorted.length;
    return s;
  }

  /**
   * The `count` NUL-separated keys of `body` (a saved index whose bytes were checked, so they are sorted and
   * unique), without splitting them into strings yet. Undefined when the body does not hold exactly `count`
   * non-empty keys.
   */
  static fromPacked(body: Buffer, count: number): SortedKeys | undefined {
    const s = new SortedKeys();
    if (count === 0) return body.length === 0 ? s : undefined;
    let blockStart = 0;
    let keyStart = 0;
    let n = 0;
    for (let i = 0; i <= body.length; i++) {
      if (i < body.length && body[i] !== 0) continue;
      if (i === keyStart) return undefined; // an empty key (or a NUL at either end)
      n++;
      if (n % BLOCK_LOAD === 0 || i === body.length) {
        s.blocks.push({ bytes: body.subarray(blockStart, i), last: body.toString('utf8', keyStart, i) });
        blockStart = i + 1;
      }
      keyStart = i + 1;
    }
    if (n !== count) return undefined;
    s.count = n;
    return s;
  }

  get size(): number {
    return this.count;
  }

  has(key: string): boolean {
    const b = this.blockFor(key);
    if (b < 0) return false;
    const arr = this.block(b);
    const i = lowerBound(arr, key);
    return i < arr.length && arr[i] === key;
  }

  /** Inserts `key`; false when it was already there. */
  add(key: string): boolean {
    if (this.blocks.length === 0) {
      this.blocks.push([key]);
      this.count = 1;
      this.version++;
      return true;
    }
    let b = this.blockFor(key);
    if (b < 0) b = this.blocks.length - 1; // bigger than everything: append to the last block
    const arr = this.block(b);
    const i = lowerBound(arr, key);
    if (i < arr.length && arr[i] === key) return false;
    arr.splice(i, 0, key);
    if (arr.length > BLOCK_MAX) this.blocks.splice(b + 1, 0, arr.splice(arr.length >> 1));
    this.count++;
    this.version++;
    return true;
  }

  /** Removes `key`; false when it was not there. */
  delete(key: string): boolean {
    const b = this.blockFor(key);
    if (b < 0) return false;
    const arr = this.block(b);
    const i = lowerBound(arr, key);
    if (i >= arr.length || arr[i] !== key) return false;
    arr.splice(i, 1);
    if (arr.length === 0) this.blocks.splice(b, 1);
    this.count--;
    this.version++;
    return true;
  }

  /** Keys >= `from` (all keys when undefined), in order, tolerating changes between steps (see the header). */
  *from(from?: string): Generator<string> {
    let ver = this.version;
    let [b, i] = this.seek(from, true);
    let last: string | undefined;
    for (;;) {
      if (ver !== this.version) {
        ver = this.version;
        [b, i] = last === undefined ? this.seek(from, true) : this.seek(last, false);
      }
      if (b >= this.blocks.length) return;
      const arr = this.block(b);
      if (i >= arr.length) {
        b++;
        i = 0;
        continue;
      }
      last = arr[i++];
      yield last;
    }
  }

  /** All keys in order (a copy). */
  toArray(): string[] {
    return this.blocks.flatMap((x) => (Array.isArray(x) ? x : unpack(x)));
  }

  /** Block `b` as strings, splitting a packed block the first time it is needed. */
  private block(b: number): string[] {
    const x = this.blocks[b];
    if (Array.isArray(x)) return x;
    const arr = unpack(x);
    this.blocks[b] = arr;
    return arr;
  }

  /** Position of the first key >= k (inclusive) or > k. */
  private seek(k: string | undefined, inclusive: boolean): [number, number] {
    if (k === undefined) return [0, 0];
    const b = this.blockFor(k);
    if (b < 0) return [this.blocks.length, 0];
    const arr = this.block(b);
    let i = lowerBound(arr, k);
    if (!inclusive && i < arr.length && arr[i] === k) i++;
    return [b, i];
  }

  /** The first block whose last key is >= k; -1 when k is bigger than every key. */
  private blockFor(k: string): number {
    let lo = 0,
      hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lastOf(this.blocks[mid]) < k) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.blocks.length ? lo : -1;
  }
}

function lowerBound(arr: string[], k: string): number {
  let lo = 0,
    hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
