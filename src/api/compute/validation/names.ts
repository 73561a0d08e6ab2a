// Upstream's "name" formats (nova/api/validation/parameter_types.py): printable characters, with
// or without leading/trailing whitespace, and the availability-zone variants that also refuse ':'.
// A value failing one is InvalidName, whose message replaces the usual field prefix.

// Printable: not a control/format/unassigned/private char (C*), and no line/paragraph separator.
const PRINTABLE = '[^\\p{C}\\p{Zl}\\p{Zp}]';
const PRINTABLE_NO_COLON = '[^\\p{C}\\p{Zl}\\p{Zp}:]';
// Printable and not whitespace.
const SOLID = '[^\\p{C}\\p{Z}\\s]';
const SOLID_NO_COLON = '[^\\p{C}\\p{Z}\\s:]';

function noEdgeSpace(inner: string, solid: string): RegExp {
  return new RegExp(`^(?:${solid}(?:${inner}*${solid})?)?$`, 'u');
}

function atLeastOneSolid(inner: string, solid: string): RegExp {
  return new RegExp(`^${inner}*${solid}${inner}*$`, 'u');
}

export interface NameFormat {
  readonly test: RegExp;
  readonly reason: string;
}

export const NAME_FORMATS: Readonly<Record<string, NameFormat>> = Object.freeze({
  name: {
    test: noEdgeSpace(PRINTABLE, SOLID),
    reason: 'printable characters. Can not start or end with whitespace.',
  },
  name_with_leading_trailing_spaces: {
    test: atLeastOneSolid(PRINTABLE, SOLID),
    reason: 'printable characters with at least one non space character',
  },
  az_name: {
    test: noEdgeSpace(PRINTABLE_NO_COLON, SOLID_NO_COLON),
    reason: 'printable characters except :.Can not start or end with whitespace.',
  },
  az_name_with_leading_trailing_spaces: {
    test: atLeastOneSolid(PRINTABLE_NO_COLON, SOLID_NO_COLON),
    reason: 'printable characters except :, with at least one non space character',
  },
});

export function invalidNameMessage(reason: string): string {
  return `An invalid 'name' value was provided. The name must be: ${reason}`;
}

/** Description text: printable characters only (may be empty). */
export const DESCRIPTION_PATTERN = `^${PRINTABLE}*$`;
