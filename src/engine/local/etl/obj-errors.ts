// Per-object ETL errors as AIS keeps them: per target, deduplicated by message, capped at the first 128.
export const MAX_OBJ_ERRS = 128;
export interface ObjErr {
  obj_name: string;
  msg: string;
  ecode: number;
}

export class ObjErrors {
  private readonly list: ObjErr[] = [];
  private readonly seen = new Set<string>();
  add(e: ObjErr): void {
    if (this.list.length >= MAX_OBJ_ERRS || this.seen.has(e.msg)) return;
    this.seen.add(e.msg);
    this.list.push(e);
  }
  all(): ObjErr[] {
    return [...this.list];
  }
  get size(): number {
    return this.list.length;
  }
}
