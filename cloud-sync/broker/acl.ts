/**
 * Mosquitto access control for the sync protocol: each device may use only its own topics, HQ
 * the wildcards. A device logs in as `<store>/<device>` (deviceUsername), so Mosquitto's
 * `pattern` lines, where %u is the username, expand to exactly that device's topics.
 *
 * Mosquitto answers a forbidden SUBSCRIBE with success and then delivers nothing, and a
 * forbidden PUBLISH with a "not authorized" PUBACK that mosquitto_pub still exits 0 on; so the
 * test (test/sync/broker-acl.test.ts) checks what arrives, not only the replies. `topic` lines
 * before any `user` line would apply to anonymous clients only, so none are written.
 */
import { RELEASES_ROOT } from '../protocol/releases.ts';
import { PROTOCOL_ROOT, assertSegment, type DeviceAddress } from '../protocol/topics.ts';

export function deviceUsername(address: DeviceAddress): string {
  assertSegment('store id', address.storeId);
  assertSegment('device id', address.deviceId);
  return `${address.storeId}/${address.deviceId}`;
}

/** The text of a Mosquitto `acl_file` for these HQ usernames (every other user is a device). */
export function mosquittoAcl(hqUsers: readonly string[]): string {
  if (hqUsers.length === 0) throw new RangeError('at least one HQ username is needed');
  const lines = ['# Loupe sync ACL (cloud-sync/broker/acl.ts). Devices log in as <store>/<device>.', ''];
  for (const user of hqUsers) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(user)) throw new RangeError(`HQ username "${user}": use 1–64 of A-Z a-z 0-9 . _ -`);
    // Ingest reads every device's grades (through its $share/ subscription) and status, and acks each device.
    // It also publishes model releases (announcements and chunks, retained) to the fleet.
    lines.push(`user ${user}`, `topic read ${PROTOCOL_ROOT}/+/+/grades`, `topic read ${PROTOCOL_ROOT}/+/+/status`, `topic write ${PROTOCOL_ROOT}/+/+/ack`, `topic read ${PROTOCOL_ROOT}/+/+/release`, `topic readwrite ${RELEASES_ROOT}/#`, '');
  }
  // A device: publish its grades, publish (retained, and as its will) and read its status, read its acks.
  // A device also reports its last release outcome (retained) on its own release topic; every
  // device reads the model releases, and none may publish one.
  lines.push(`pattern write ${PROTOCOL_ROOT}/%u/grades`, `pattern readwrite ${PROTOCOL_ROOT}/%u/status`, `pattern read ${PROTOCOL_ROOT}/%u/ack`, `pattern readwrite ${PROTOCOL_ROOT}/%u/release`, `pattern read ${RELEASES_ROOT}/#`, '');
  return lines.join('\n');
}
