// The local cluster marks ETLs that rely on something the AIS release it emulates would refuse (`localLeniencies` on
// the ETL's list entry or details). Read structurally: older engines do not have the field at all.

/** The notes of the local-only leniencies an ETL relies on ([] when none, or when the cluster says nothing). */
export function localOnlyNotes(...sources: (object | undefined)[]): string[] {
  const notes = new Set<string>();
  for (const src of sources) {
    const list: unknown = src ? Reflect.get(src, 'localLeniencies') : undefined;
    if (!Array.isArray(list)) continue;
    for (const item of list as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const note: unknown = Reflect.get(item, 'note');
      const id: unknown = Reflect.get(item, 'id');
      if (typeof note === 'string' && note) notes.add(note);
      else if (typeof id === 'string' && id) notes.add(id);
    }
  }
  return [...notes];
}
