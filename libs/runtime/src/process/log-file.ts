import { join } from 'node:path';

/** The file an app's stdout and stderr go to, in its log folder; rotated copies are app.log.1 (newest), app.log.2, … */
export const LOG_FILE_NAME = 'app.log';

/** `<dir>/app.log`, or with `rotation` ≥ 1 the rotated file `<dir>/app.log.<rotation>`. */
export function logFilePath(dir: string, rotation = 0): string {
  const path = join(dir, LOG_FILE_NAME);
  return rotation === 0 ? path : `${path}.${rotation}`;
}
