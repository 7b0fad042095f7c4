// The local image store: `buildLocalImage` (= `aisetl build -t TAG DIR`) and lookups used by container workers.
import { defaultImageStoreDir, loadImage, normalizeTag, type LocalImage } from './store';

export { buildLocalImage, type BuildOptions } from './build';
export { hostPathFor, hostWorkdir } from './paths';
export { defaultImageStoreDir, listImages, normalizeTag, type LocalImage, type PathMapping } from './store';

/** The recorded image for `tag` (docker.io/ prefix and :latest are normalised), or undefined. */
export function resolveLocalImage(tag: string, o: { storeDir?: string } = {}): LocalImage | undefined {
  return loadImage(o.storeDir ?? defaultImageStoreDir(), normalizeTag(tag));
}
