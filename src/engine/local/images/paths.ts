// Container paths → host paths for a locally "built" image.
import * as path from 'node:path';
import type { LocalImage } from './store';

/** The host path behind a container path (longest COPY destination that covers it), or undefined. */
export function hostPathFor(img: LocalImage, containerPath: string): string | undefined {
  const p = path.posix.resolve(img.workdir, containerPath);
  let best: { len: number; host: string } | undefined;
  for (const m of img.paths) {
    if (p === m.container) {
      if (!best || m.container.length > best.len) best = { len: m.container.length, host: m.host };
      continue;
    }
    if (m.dir && p.startsWith(m.container.replace(/\/$/, '') + '/') && (!best || m.container.length > best.len)) {
      best = { len: m.container.length, host: path.join(m.host, p.slice(m.container.replace(/\/$/, '').length + 1)) };
    }
  }
  return best?.host;
}

/** The host folder to run in for the image's WORKDIR: mapped directly, inferred from files copied into it
 *  (`COPY server.py server.py` under WORKDIR /code makes /code ≙ the build folder), else the build folder. */
export function hostWorkdir(img: LocalImage): string {
  const direct = hostPathFor(img, img.workdir);
  if (direct) return direct;
  const wd = img.workdir.replace(/\/$/, '') + '/';
  for (const m of img.paths) {
    if (!m.container.startsWith(wd)) continue;
    const rel = m.container.slice(wd.length);
    const suffix = path.sep + rel.split('/').join(path.sep);
    if (m.host.endsWith(suffix)) return m.host.slice(0, -suffix.length);
  }
  return img.dir;
}
