// Device and namespace names of the Linux-bridge data plane, upstream's conventions (linuxbridge
// agent, DHCP and L3 agents): every device is named after the port or network it serves, so what
// the data plane made can always be found again and removed with it. Interface names fit in 15
// characters (IFNAMSIZ - 1).

/** The bridge of a network: brq + the first 11 characters of its id. */
export const bridgeName = (networkId: string): string => `brq${networkId.slice(0, 11)}`;

/** The host-side tap of a port (a guest NIC, or the bridge end of a namespace's veth). */
export const tapName = (portId: string): string => `tap${portId.slice(0, 11)}`;

/**
 * The other tap name of a port: while a guest live-migrates between two QEMUs of one machine both
 * need a tap (tapXXXXXXXXXXX ↔ tapXXXXXXXXXXXm, 15 characters at most).
 */
export const twinTapName = (tap: string): string =>
  tap.endsWith('m') ? tap.slice(0, -1) : `${tap.slice(0, 14)}m`;

/** The namespace end of a DHCP port's veth. */
export const nsDeviceName = (portId: string): string => `ns-${portId.slice(0, 11)}`;

/** A router's interface on a tenant network (inside the router namespace). */
export const routerInterfaceName = (portId: string): string => `qr-${portId.slice(0, 11)}`;

/** A router's gateway on the external network (inside the router namespace). */
export const routerGatewayName = (portId: string): string => `qg-${portId.slice(0, 11)}`;

/** The DHCP namespace of a network. */
export const dhcpNamespace = (networkId: string): string => `qdhcp-${networkId}`;

/** The namespace of a router. */
export const routerNamespace = (routerId: string): string => `qrouter-${routerId}`;

/** The nftables table holding the security group rules of this host's ports. */
export const SG_TABLE = 'nova_ts_sg';

/** The address guests reach the metadata service at. */
export const METADATA_ADDRESS = '169.254.169.254';
