// Where "AIStore: New ETL…" puts a file set: a sub-folder named after the ETL, so the files that refer to each
// other (Dockerfile → server.py, spec → image) stay together. Never overwrites silently: the caller either asks
// the user about `conflicts` or takes `freeFolder`, the first `<name>`, `<name>-2`, … without any of the files.
// Pure: existence is checked through the injected function.

export interface ScaffoldPlacement {
  /** `<name>`: the preferred sub-folder. */
  preferredFolder: string;
  /** Files of the set that already exist in the preferred sub-folder (relative paths). */
  conflicts: string[];
  /** The first sub-folder name where none of the files exist (equals preferredFolder when there are no conflicts). */
  freeFolder: string;
}

export async function planScaffoldFolder(
  name: string,
  filePaths: readonly string[],
  exists: (relativePath: string) => Promise<boolean>,
  maxAttempts = 100,
): Promise<ScaffoldPlacement> {
  const conflictsIn = async (folder: string) =>
    (await Promise.all(filePaths.map(async (p) => ((await exists(`${folder}/${p}`)) ? p : undefined)))).filter(
      (p): p is string => p !== undefined,
    );
  const conflicts = await conflictsIn(name);
  if (conflicts.length === 0) return { preferredFolder: name, conflicts, freeFolder: name };
  for (let n = 2; n <= maxAttempts; n++) {
    const candidate = `${name}-${n}`;
    if ((await conflictsIn(candidate)).length === 0) return { preferredFolder: name, conflicts, freeFolder: candidate };
  }
  throw new Error(
    `Could not find a free folder for "${name}" (tried ${name}-2 … ${name}-${maxAttempts}): choose another ETL name or folder.`,
  );
}
