// The network service's typed faults: Neutron's exception type names, statuses and messages.
// errors.ts writes every one as {"NeutronError": {"type", "message", "detail"}}.
import { Fault } from '../faults/fault.ts';

export class NeutronFault extends Fault {
  /** Neutron's exception class name, the body's `type`. */
  readonly type: string;
  constructor(type: string, status: number, message: string) {
    super(message, status, `network.${type}`);
    this.type = type;
  }
}

const f = (type: string, status: number) => (message: string) => new NeutronFault(type, status, message);

export const badRequest = f('HTTPBadRequest', 400);
export const invalidInput = (why: string) =>
  new NeutronFault('InvalidInput', 400, `Invalid input for operation: ${why}.`);
/** An attribute failed its validator: Neutron's "Invalid input for X. Reason: Y." */
export const invalidAttr = (attr: string, why: string) =>
  badRequest(`Invalid input for ${attr}. Reason: ${why}.`);
export const notAuthorized = (rule: string) =>
  new NeutronFault('PolicyNotAuthorized', 403, `rule:${rule} is disallowed by policy`);
export const notFound = (type: string, message: string) => new NeutronFault(type, 404, message);
export const conflict = (type: string, message: string) => new NeutronFault(type, 409, message);

export const networkNotFound = (id: string) =>
  notFound('NetworkNotFound', `Network ${id} could not be found.`);
export const subnetNotFound = (id: string) => notFound('SubnetNotFound', `Subnet ${id} could not be found.`);
export const portNotFound = (id: string) => notFound('PortNotFound', `Port ${id} could not be found.`);
export const routerNotFound = (id: string) => notFound('RouterNotFound', `Router ${id} could not be found.`);
export const floatingIpNotFound = (id: string) =>
  notFound('FloatingIPNotFound', `Floating IP ${id} could not be found.`);
export const securityGroupNotFound = (id: string) =>
  notFound('SecurityGroupNotFound', `Security group ${id} does not exist`);
export const securityGroupRuleNotFound = (id: string) =>
  notFound('SecurityGroupRuleNotFound', `Security group rule ${id} does not exist`);

export const networkInUse = (id: string) =>
  conflict(
    'NetworkInUse',
    `Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`,
  );
export const subnetInUse = (id: string) =>
  conflict(
    'SubnetInUse',
    `Unable to complete operation on subnet ${id}: One or more ports have an IP allocation from this subnet.`,
  );
export const ipAlreadyAllocated = (ip: string, subnet: string) =>
  conflict('IpAddressAlreadyAllocated', `IP address ${ip} already allocated in subnet ${subnet}`);
export const ipGenerationFailure = (net: string) =>
  conflict('IpAddressGenerationFailure', `No more IP addresses available on network ${net}.`);
export const macInUse = (net: string, mac: string) =>
  conflict(
    'MacAddressInUse',
    `Unable to complete operation for network ${net}. The mac address ${mac} is in use.`,
  );
export const overQuota = (resource: string) =>
  conflict('OverQuota', `Quota exceeded for resources: ['${resource}'].`);
export const securityGroupInUse = (id: string) =>
  conflict('SecurityGroupInUse', `Security Group ${id} in use.`);
export const cannotRemoveDefault = () =>
  conflict('SecurityGroupCannotRemoveDefault', 'Insufficient rights for removing default security group.');
export const ruleExists = (id: string) =>
  conflict('SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${id}.`);
export const routerInUse = (id: string) => conflict('RouterInUse', `Router ${id} still has ports`);
export const portInUse = (net: string, port: string, device: string) =>
  conflict(
    'PortInUse',
    `Unable to complete operation on port ${port} for network ${net}. Port already has an attached device ${device}.`,
  );
