// The fixups loadConfig runs, in order. Plain renames are not here: they are `deprecated` entries
// on the option declarations.
import { glanceApiServersFixup, neutronUrlFixup } from './endpoints.ts';
import type { Fixup } from './fixup.ts';
import { rabbitTransportFixup } from './rabbit-transport.ts';

export type { Fixup, FixupContext } from './fixup.ts';

export const LEGACY_FIXUPS: readonly Fixup[] = Object.freeze([
  rabbitTransportFixup,
  glanceApiServersFixup,
  neutronUrlFixup,
]);
