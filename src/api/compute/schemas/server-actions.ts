// Request schemas of the simple server actions (bodies like {"pause": null}).
import { byVersion } from '../routing/route.ts';
import type { JsonSchema } from '../validation/validator.ts';

const nullAction = (name: string): JsonSchema => ({
  type: 'object',
  properties: { [name]: {} },
  required: [name],
  additionalProperties: false,
});

export const nullBody = (name: string) => byVersion(['2.1', nullAction(name)]);

export const reboot = byVersion([
  '2.1',
  {
    type: 'object',
    properties: {
      reboot: {
        type: 'object',
        properties: { type: { type: 'string', enum: ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft'] } },
        required: ['type'],
        additionalProperties: false,
      },
    },
    required: ['reboot'],
    additionalProperties: false,
  },
]);

const rescueInner = (withImage: boolean): JsonSchema => ({
  type: ['object', 'null'],
  properties: {
    adminPass: { type: 'string' },
    ...(withImage ? { rescue_image_ref: { type: 'string', format: 'uuid' } } : {}),
  },
  additionalProperties: false,
});
export const rescue = byVersion([
  '2.1',
  {
    type: 'object',
    properties: { rescue: rescueInner(true) },
    required: ['rescue'],
    additionalProperties: false,
  },
]);

export const lock = byVersion(
  ['2.1', nullAction('lock')],
  [
    '2.73',
    {
      type: 'object',
      properties: {
        lock: {
          type: ['object', 'null'],
          properties: { locked_reason: { type: 'string', minLength: 1, maxLength: 255 } },
          additionalProperties: false,
        },
      },
      required: ['lock'],
      additionalProperties: false,
    },
  ],
);

export const resetState = byVersion([
  '2.1',
  {
    type: 'object',
    properties: {
      'os-resetState': {
        type: 'object',
        properties: { state: { type: 'string', enum: ['active', 'error'] } },
        required: ['state'],
        additionalProperties: false,
      },
    },
    required: ['os-resetState'],
    additionalProperties: false,
  },
]);

export const consoleOutput = byVersion([
  '2.1',
  {
    type: 'object',
    properties: {
      'os-getConsoleOutput': {
        type: 'object',
        properties: { length: { type: ['integer', 'string', 'null'], pattern: '^-?[0-9]+$', minimum: -1 } },
        additionalProperties: false,
      },
    },
    required: ['os-getConsoleOutput'],
    additionalProperties: false,
  },
]);

export const changePassword = byVersion([
  '2.1',
  {
    type: 'object',
    properties: {
      changePassword: {
        type: 'object',
        properties: { adminPass: { type: 'string' } },
        required: ['adminPass'],
        additionalProperties: false,
      },
    },
    required: ['changePassword'],
    additionalProperties: false,
  },
]);
