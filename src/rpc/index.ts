// Public API of the RPC layer (what oslo.messaging is to Nova).
export {
  adminContext,
  createContext,
  currentContext,
  freezeContext,
  type RequestContext,
  runInContext,
} from './context.ts';
export { createDispatcher } from './dispatcher.ts';
export { DEFAULT_REMOTE_FAULTS, type FaultClass, type SerialisedFault } from './fault-codec.ts';
export {
  InvalidMessage,
  InvalidPayload,
  NoSuchMethod,
  TransportClosed,
  UnsupportedVersion,
} from './faults.ts';
export { createTransport, TRANSPORT_DRIVERS } from './registry.ts';
export type {
  CallOptions,
  CastOptions,
  Dispatcher,
  DispatchRequest,
  Listener,
  ListenOptions,
  ListenTarget,
  RpcArgs,
  RpcEndpoint,
  RpcMethod,
  Target,
  Transport,
  TransportOptions,
} from './types.ts';
export { isCompatible, parseVersion } from './version.ts';
