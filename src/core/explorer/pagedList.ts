import { asGraphError, GraphError } from '../graph/errors';
import { Page } from '../graph/paging';

export type ListState = 'idle' | 'loading' | 'loaded' | 'failed';

/**
 * One paged Graph edge as the tree shows it: the items loaded so far, the cursor for the next
 * page, and the last failure. Appending is O(page size); duplicates (a thread that moved up while
 * paging) are dropped with a set, never by scanning.
 */
export class PagedList<T extends { readonly id: string }> {
  private readonly loaded: T[] = [];
  private readonly ids = new Set<string>();
  private cursor: string | undefined;
  private readonly seenCursors = new Set<string>();
  private current: ListState = 'idle';
  private failure: GraphError | undefined;
  private inFlight: Promise<void> | undefined;
  private generation = 0;
  /** Whether a first page came: a page can be empty and still have a cursor, so the items cannot tell. */
  private firstPageLoaded = false;

  constructor(private readonly fetchPage: (after: string | undefined) => Promise<Page<T>>) {}

  get items(): readonly T[] {
    return this.loaded;
  }

  get state(): ListState {
    return this.current;
  }

  get error(): GraphError | undefined {
    return this.failure;
  }

  /** More items exist beyond the ones loaded. */
  get hasMore(): boolean {
    return this.cursor !== undefined;
  }

  /** Loads the first page unless it is loaded or loading. */
  ensureLoaded(): Promise<void> {
    if (this.current === 'idle') {
      return this.load(undefined);
    }
    return this.inFlight ?? Promise.resolve();
  }

  /** Loads the next page into the same list. A no-op while loading or at the end. */
  loadMore(): Promise<void> {
    if (this.inFlight) {
      return this.inFlight;
    }
    if (this.current === 'failed' && !this.firstPageLoaded) {
      return this.load(undefined);
    }
    return this.cursor === undefined ? Promise.resolve() : this.load(this.cursor);
  }

  /** Retries whatever failed last: the first page, or the next one. */
  retry(): Promise<void> {
    return this.firstPageLoaded ? this.load(this.cursor) : this.load(undefined);
  }

  /** Fills the first page from data fetched elsewhere (a batch request covering several lists). */
  seed(page: Page<T>): void {
    this.reset();
    this.current = 'loaded';
    this.append(page);
  }

  seedError(error: GraphError): void {
    this.reset();
    this.current = 'failed';
    this.failure = error;
  }

  /** Adds one item found elsewhere (a thread found by user ID), first, unless it is already there. */
  prepend(item: T): T {
    if (this.ids.has(item.id)) {
      return this.loaded.find((i) => i.id === item.id) ?? item;
    }
    this.ids.add(item.id);
    this.loaded.unshift(item);
    return item;
  }

  /**
   * Adds one item found elsewhere (a thread found by user ID) where the list's order puts it:
   * before the first loaded item it comes before, else after the loaded ones. Kept once.
   */
  insertInOrder(item: T, comesBefore: (a: T, b: T) => boolean): T {
    if (this.ids.has(item.id)) {
      return this.loaded.find((i) => i.id === item.id) ?? item;
    }
    this.ids.add(item.id);
    const at = this.loaded.findIndex((other) => comesBefore(item, other));
    this.loaded.splice(at === -1 ? this.loaded.length : at, 0, item);
    return item;
  }

  /** Forgets everything; an in-flight load finishing later is ignored. */
  reset(): void {
    this.generation++;
    this.loaded.length = 0;
    this.ids.clear();
    this.cursor = undefined;
    this.seenCursors.clear();
    this.firstPageLoaded = false;
    this.current = 'idle';
    this.failure = undefined;
    this.inFlight = undefined;
  }

  private load(after: string | undefined): Promise<void> {
    const generation = this.generation;
    this.current = 'loading';
    this.failure = undefined;
    const run = this.fetchPage(after)
      .then(
        (page) => {
          if (generation === this.generation) {
            this.append(page);
            this.current = 'loaded';
          }
        },
        (error: unknown) => {
          if (generation === this.generation) {
            this.failure = asGraphError(error);
            this.current = 'failed';
          }
        },
      )
      .finally(() => {
        if (generation === this.generation) {
          this.inFlight = undefined;
        }
      });
    this.inFlight = run;
    return run;
  }

  private append(page: Page<T>): void {
    this.firstPageLoaded = true;
    for (const item of page.items) {
      if (!this.ids.has(item.id)) {
        this.ids.add(item.id);
        this.loaded.push(item);
      }
    }
    // A cursor that comes back would page forever: treat it as the end.
    this.cursor = page.after !== undefined && !this.seenCursors.has(page.after) ? page.after : undefined;
    if (this.cursor !== undefined) {
      this.seenCursors.add(this.cursor);
    }
  }
}
