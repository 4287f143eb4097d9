/**
 * The sorted union of a list of ids each document gives (e.g. the register entries it refers to), for
 * an edition-wide part: in a watcher's session it is kept between builds, with each document's list and
 * how many documents give each id, and updated for the documents changed since the build it was made in
 * (BuildContext.changedSince) — at 10 000 letters a save reads one document's list, not 10 000.
 */
import type { BuildContext, BuiltDocument } from './types.js';

export class DocumentUnion {
  /** The build the kept union was made or updated in (undefined: none kept). */
  private build: object | undefined;
  private lists = new Map<string, readonly string[]>();
  private counts = new Map<string, number>();
  private ids: string[] = [];

  /** The union of `listOf` over the context's documents, sorted (a watcher's next call may be given the same array). */
  of(ctx: BuildContext, listOf: (doc: BuiltDocument) => readonly string[]): string[] {
    const changed = this.build !== undefined ? ctx.changedSince?.(this.build) : undefined;
    if (changed) this.update(ctx, listOf, changed);
    else {
      // (A single build keeps nothing: no list per document, no counts once the union is made.)
      const keep = ctx.build !== undefined;
      this.lists = new Map();
      this.counts = new Map();
      for (const d of ctx.documents) {
        const list = listOf(d);
        if (keep) this.lists.set(d.id, list);
        for (const id of list) this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
      }
      this.ids = [...this.counts.keys()].sort();
      if (!keep) this.counts = new Map();
    }
    this.build = ctx.build;
    return this.ids;
  }

  /** The kept union updated for the documents changed since its build. */
  private update(ctx: BuildContext, listOf: (doc: BuiltDocument) => readonly string[], changed: ReadonlySet<string>): void {
    // An id no longer given, or given for the first time: the sorted list is made again.
    let reshaped = false;
    for (const d of changed.size ? ctx.documents : []) {
      if (!changed.has(d.id)) continue;
      const was = this.lists.get(d.id) ?? [];
      const list = listOf(d);
      if (list === was) continue;
      this.lists.set(d.id, list);
      for (const id of was) {
        const n = this.counts.get(id)! - 1;
        if (n) this.counts.set(id, n);
        else {
          this.counts.delete(id);
          reshaped = true;
        }
      }
      for (const id of list) {
        const n = (this.counts.get(id) ?? 0) + 1;
        this.counts.set(id, n);
        if (n === 1) reshaped = true;
      }
    }
    if (reshaped) this.ids = [...this.counts.keys()].sort();
  }
}
