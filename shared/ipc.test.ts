// Paths the page hands main (a dropped file's): which reach the network, and what a drop of a
// network file answers instead of asking main.
import { describe, expect, it } from 'vitest';
import { isNetworkPath, refuseNetworkDrop } from './ipc';

describe('network and device paths', () => {
  it('are the ones Windows opens on a host or a device, however slashed', () => {
    for (const reached of [
      '\\\\nas\\team\\Plan.talkoo',
      '\\\\?\\UNC\\10.0.0.5\\s\\Plan.talkoo',
      '\\\\.\\pipe\\Plan.talkoo',
      '//nas/team/Plan.talkoo',
      '/\\nas\\team\\Plan.talkoo',
    ]) {
      expect(isNetworkPath(reached), reached).toBe(true);
    }
    for (const local of ['C:\\Users\\me\\Plan.talkoo', 'd:/plans/Plan.talkoo', '/home/me/Plan.talkoo']) {
      expect(isNetworkPath(local), local).toBe(false);
    }
  });
});

describe('a dropped file on a network share', () => {
  it('is not opened but named, with the way that opens it', () => {
    expect(refuseNetworkDrop('\\\\nas\\team\\Plan.talkoo')).toEqual({
      ok: false,
      reason: 'error',
      problem: 'network',
      message: 'Could not open Plan.talkoo. \\\\nas\\team\\Plan.talkoo is on a network share.',
    });
    expect(refuseNetworkDrop('//nas/team/Budget.talkoo')).toMatchObject({ problem: 'network' });
  });

  it('leaves a file on this computer to main', () => {
    expect(refuseNetworkDrop('C:\\Users\\me\\Plan.talkoo')).toBeNull();
    expect(refuseNetworkDrop('/home/me/Plan.talkoo')).toBeNull();
  });
});
