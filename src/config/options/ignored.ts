// Options found in real nova.conf files that nova-ts recognises but does not use: features removed
// upstream, helpers nova-ts does not run, and pre-Keystone-v3 auth settings. Each loads with a
// warning that says why, never an error.
import type { IgnoredOption } from '../registry.ts';

const NOVA_NETWORK = 'nova-network was removed from Nova; networking is Neutron-style';
const HELPERS = 'nova-ts runs no rootwrap, dnsmasq or iSCSI helpers';
const DRIVERS = 'the class is chosen by nova-ts itself, not by config';
const EC2 = 'the EC2 API was removed from Nova';
const LEGACY_AUTH =
  'auth_token settings from before Keystone v3; set auth_url, auth_type, username, password and ' +
  'project_name (and www_authenticate_uri) instead';
const LIBVIRT_VIF = 'VIF plugging is chosen per port by nova-ts';
const VOLUME = 'nova-volume was replaced by Cinder; see [cinder]';

function names(group: string, list: readonly string[], reason: string): IgnoredOption[] {
  return list.map((name) => Object.freeze({ group, name, reason }));
}

export const IGNORED_OPTIONS: readonly IgnoredOption[] = Object.freeze([
  ...names(
    'DEFAULT',
    [
      'network_manager',
      'network_size',
      'flat_network_bridge',
      'flat_interface',
      'flat_network_dns',
      'public_interface',
      'vlan_interface',
      'fixed_range',
      'floating_range',
      'force_dhcp_release',
      'dhcp_lease_time',
      'dhcpbridge',
      'dhcpbridge_flagfile',
      'linuxnet_interface_driver',
      'linuxnet_ovs_integration_bridge',
      'multi_host',
      'send_arp_for_ha',
      'share_dhcp_address',
      'network_host',
      'use_neutron',
      'allow_same_net_traffic',
      'auto_assign_floating_ip',
    ],
    NOVA_NETWORK,
  ),
  ...names('DEFAULT', ['root_helper', 'iscsi_helper', 'iscsi_ip_address'], HELPERS),
  ...names(
    'DEFAULT',
    [
      'network_api_class',
      'security_group_api',
      'volume_api_class',
      'image_service',
      'firewall_driver',
      'connection_type',
      'compute_scheduler_driver',
      'scheduler_driver',
      'scheduler_host_manager',
      'compute_manager',
      'conductor_manager',
      'scheduler_manager',
    ],
    DRIVERS,
  ),
  ...names(
    'DEFAULT',
    [
      'ec2_private_dns_show_ip',
      'ec2_host',
      'ec2_dmz_host',
      'ec2_port',
      'ec2_url',
      'ec2_listen',
      'ec2_listen_port',
      'keystone_ec2_url',
      's3_host',
      's3_port',
      'nova_url',
    ],
    EC2,
  ),
  ...names(
    'DEFAULT',
    ['volumes_path', 'osapi_volume_listen', 'osapi_volume_listen_port', 'volume_group'],
    VOLUME,
  ),
  ...names('DEFAULT', ['libvirt_vif_driver', 'libvirt_vif_type', 'libvirt_ovs_bridge'], LIBVIRT_VIF),
  ...names(
    'DEFAULT',
    ['neutron_auth_strategy', 'quantum_auth_strategy'],
    'only keystone auth exists; see [neutron] auth_type',
  ),
  ...names('DEFAULT', ['verbose'], 'removed from oslo.log; INFO is the default level, use debug for more'),
  ...names('DEFAULT', ['use_deprecated_auth'], 'the pre-Keystone auth system was removed'),
  ...names(
    'keystone_authtoken',
    [
      'auth_host',
      'auth_port',
      'auth_protocol',
      'auth_admin_prefix',
      'admin_user',
      'admin_password',
      'admin_tenant_name',
      'admin_token',
      'identity_uri',
      'signing_dir',
      'signing_dirname',
      'hash_algorithms',
      'revocation_cache_time',
      'check_revocations_for_cached',
    ],
    LEGACY_AUTH,
  ),
  ...names('neutron', ['auth_strategy'], 'only keystone auth exists; see [neutron] auth_type'),
]);
