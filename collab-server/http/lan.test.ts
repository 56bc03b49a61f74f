import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { lanAddresses } from './lan';

const v4 = (address: string, internal = false): NetworkInterfaceInfo => ({
  address,
  netmask: '255.255.255.0',
  family: 'IPv4',
  mac: '00:00:00:00:00:00',
  internal,
  cidr: `${address}/24`,
});

describe('the addresses a join link can carry', () => {
  it('puts the venue Wi-Fi first, virtual adapters and public addresses after, loopback and IPv6 never', () => {
    const addresses = lanAddresses({
      lo: [v4('127.0.0.1', true)],
      'vEthernet (WSL)': [v4('172.28.160.1')],
      docker0: [v4('172.17.0.1')],
      'VirtualBox Host-Only Network': [v4('192.168.56.1')],
      tun0: [v4('10.8.0.5')],
      eth1: [v4('203.0.113.9')],
      'Wi-Fi': [v4('192.168.1.23'), { ...v4('fe80::1'), family: 'IPv6', scopeid: 1, cidr: 'fe80::1/64' }],
    });
    expect(addresses[0]).toBe('192.168.1.23');
    expect(addresses[1]).toBe('203.0.113.9');
    expect(addresses.slice(2).sort()).toEqual(['10.8.0.5', '172.17.0.1', '172.28.160.1', '192.168.56.1']);
  });

  it('is empty on a machine with no network', () => {
    expect(lanAddresses({ lo: [v4('127.0.0.1', true)] })).toEqual([]);
  });
});
