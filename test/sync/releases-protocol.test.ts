/** The release announcement's schema, signature and topics, as pure functions on real keys. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  announcementSignatureMatches,
  chunkCount,
  chunkTopic,
  isTargeted,
  parseChunkTopic,
  releaseAnnouncementV1Schema,
  signAnnouncement,
  type UnsignedAnnouncement,
} from '../../cloud-sync/protocol/index.ts';
import { keyIdOf } from '../../provisioning/identity.ts';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const key = { keyId: keyIdOf(publicKey), privateKey };
const unsigned: UnsignedAnnouncement = {
  schema: 'loupe.release/v1',
  name: 'loupe-rb',
  version: '1.2.0',
  publishedAt: '2026-12-04T12:00:00.000Z',
  chunkBytes: 65536,
  files: [
    { path: 'manifest.json', sha256: 'a'.repeat(64), bytes: 1200 },
    { path: 'golden/000.png', sha256: 'b'.repeat(64), bytes: 9000 },
  ],
  target: { stores: null, devices: null },
};

describe('release announcements', () => {
  it('sign and verify over canonical JSON; any change breaks the signature', () => {
    const signed = signAnnouncement(unsigned, key);
    expect(releaseAnnouncementV1Schema.safeParse(signed).success).toBe(true);
    expect(announcementSignatureMatches(signed, publicKey)).toBe(true);
    expect(announcementSignatureMatches({ ...signed, version: '1.2.1' }, publicKey)).toBe(false);
    expect(announcementSignatureMatches({ ...signed, target: { stores: ['s'], devices: null } }, publicKey)).toBe(false);
    expect(announcementSignatureMatches(signed, generateKeyPairSync('ed25519').publicKey)).toBe(false);
    expect(announcementSignatureMatches({ ...signed, signature: { ...signed.signature, value: '!!' } }, publicKey)).toBe(false);
  });

  it.each([
    ['a path that climbs out of the folder', { files: [unsigned.files[0], { ...unsigned.files[1], path: '../../etc/passwd' }] }, /files\.1\.path/],
    ['an absolute path', { files: [unsigned.files[0], { ...unsigned.files[1], path: '/etc/passwd' }] }, /files\.1\.path/],
    ['no manifest.json', { files: [unsigned.files[1]] }, /must include manifest\.json/],
    ['a path twice', { files: [unsigned.files[0], unsigned.files[0]] }, /unique/],
    ['a version that is not semver', { version: 'latest' }, /version/],
    ['a name that is not one topic level', { name: 'loupe/rb' }, /name/],
  ])('refuses %s', (_, change, message) => {
    const result = releaseAnnouncementV1Schema.safeParse({ ...signAnnouncement(unsigned, key), ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).toMatch(message);
  });

  it('targets every device, some stores, or some devices', () => {
    const a = { storeId: 'soho', deviceId: 'counter-1' };
    expect(isTargeted({ target: { stores: null, devices: null } }, a)).toBe(true);
    expect(isTargeted({ target: { stores: ['soho'], devices: null } }, a)).toBe(true);
    expect(isTargeted({ target: { stores: ['mayfair'], devices: null } }, a)).toBe(false);
    expect(isTargeted({ target: { stores: null, devices: ['counter-2'] } }, a)).toBe(false);
  });

  it('numbers chunks by file and chunk, and reads them back only for that release', () => {
    expect(chunkCount(0, 1024)).toBe(1);
    expect(chunkCount(1024, 1024)).toBe(1);
    expect(chunkCount(1025, 1024)).toBe(2);
    const topic = chunkTopic('loupe-rb', '1.2.0', 3, 17);
    expect(parseChunkTopic(topic, 'loupe-rb', '1.2.0')).toEqual({ file: 3, chunk: 17 });
    expect(parseChunkTopic(topic, 'loupe-rb', '1.2.1')).toBeNull();
    expect(parseChunkTopic(`${topic}/x`, 'loupe-rb', '1.2.0')).toBeNull();
  });
});
