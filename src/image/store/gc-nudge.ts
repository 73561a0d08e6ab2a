// Streaming gigabytes through Node allocates a Buffer per socket/file chunk outside the V8 heap;
// V8 only collects them after ~32 MiB of external growth, so a big upload or download makes the
// process's RSS saw-tooth by that much. A young-generation collection every few MiB (≈0.1 ms
// each) frees those chunks early and keeps the image service's RSS flat.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (opts?: { type?: 'minor' | 'major' }) => void;

let gc: Gc | undefined | null = null;
function minorGc(): Gc | undefined {
  if (gc === null) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as Gc;
    } catch {
      gc = undefined;
    }
  }
  return gc;
}

/** Counts streamed bytes and runs a minor GC every `everyBytes`. */
export function gcNudger(everyBytes = 8 * 1024 * 1024): (bytes: number) => void {
  let since = 0;
  return (bytes) => {
    since += bytes;
    if (since < everyBytes) return;
    since = 0;
    minorGc()?.({ type: 'minor' });
  };
}
