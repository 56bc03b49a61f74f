/**
 * The addresses others on the local network can reach this machine at. Laptops often have
 * adapters nobody else can reach (Docker, WSL, VirtualBox, VPN tunnels): those come last, so the
 * first address is the one a join link should carry.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/** Interface names of virtual adapters: reachable from this machine only, or through a tunnel. */
const VIRTUAL =
  /docker|veth|^br-|vbox|virtualbox|vmnet|vmware|virbr|wsl|hyper-v|vethernet|^tun|^tap|utun|^zt|tailscale|wg/i;

/** A private (RFC 1918) address, the kind a venue's Wi-Fi hands out. */
function isPrivate(address: string): boolean {
  const [a = 0, b = 0] = address.split('.').map(Number);
  return a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31);
}

/** Non-internal IPv4 addresses, best first: real private-network adapters, then the rest. */
export function lanAddresses(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string[] {
  const found = Object.entries(interfaces).flatMap(([name, infos]) =>
    (infos ?? [])
      .filter((info) => info.family === 'IPv4' && !info.internal)
      .map((info) => ({
        address: info.address,
        rank: (VIRTUAL.test(name) ? 2 : 0) + (isPrivate(info.address) ? 0 : 1),
      })),
  );
  // A stable sort keeps the system's order within a rank.
  return found.sort((x, y) => x.rank - y.rank).map((f) => f.address);
}
