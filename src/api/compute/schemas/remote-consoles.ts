// Remote console request schemas (upstream schemas/remote_consoles.py): POST /remote-consoles by
// microversion (mks/webmks from 2.8, spice-direct from 2.99) and the legacy console actions.
import { byVersion } from '../routing/route.ts';
import type { JsonSchema } from '../validation/validator.ts';

const createBody = (protocols: readonly string[], types: readonly string[]): JsonSchema => ({
  type: 'object',
  properties: {
    remote_console: {
      type: 'object',
      properties: {
        protocol: { type: 'string', enum: [...protocols] },
        type: { type: 'string', enum: [...types] },
      },
      required: ['protocol', 'type'],
      additionalProperties: false,
    },
  },
  required: ['remote_console'],
  additionalProperties: false,
});

const P26 = ['vnc', 'spice', 'serial', 'rdp'];
const T26 = ['novnc', 'xvpvnc', 'spice-html5', 'serial', 'rdp-html5'];

export const create = byVersion(
  ['2.6', createBody(P26, T26)],
  ['2.8', createBody([...P26, 'mks'], [...T26, 'webmks'])],
  ['2.99', createBody([...P26, 'mks'], [...T26, 'webmks', 'spice-direct'])],
);

const legacy = (action: string, types: readonly string[]): JsonSchema => ({
  type: 'object',
  properties: {
    [action]: {
      type: 'object',
      properties: { type: { type: 'string', enum: [...types] } },
      required: ['type'],
      additionalProperties: false,
    },
  },
  required: [action],
  additionalProperties: false,
});

export const getVncConsole = byVersion(['2.1', legacy('os-getVNCConsole', ['novnc', 'xvpvnc'])]);
export const getSpiceConsole = byVersion(['2.1', legacy('os-getSPICEConsole', ['spice-html5'])]);
export const getSerialConsole = byVersion(['2.1', legacy('os-getSerialConsole', ['serial'])]);
