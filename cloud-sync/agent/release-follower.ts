/**
 * The device's side of model releases over MQTT (protocol/releases.ts). It watches the retained
 * announcements; for a signed, targeted, newer one it downloads every chunk (retained, so a
 * dropped download resumes by subscribing again, keeping the chunks it has), checks each file's
 * size and sha256, writes the release to <data>/releases/<name>-<version>/ and hands it to
 * `install`, which loads it beside the model in use, runs its golden set and swaps it in
 * (device/inference/model-host.ts), or refuses it and keeps the model in use. Every refusal is
 * logged with a code and a reason; nothing it receives can stop the daemon.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { downloadedReleasesDir, releaseDirsNewestFirst, RELEASES_ROOT as BUNDLED_RELEASES } from '../../device/inference/release.ts';
import { readReleasePin, writeReleasePin } from '../../device/inference/release-pin.ts';
import { isRolledBack, markRolledBackReported, readRolledBack, type RolledBackRelease } from '../../device/inference/probation-store.ts';
import { compareSemver } from '../../device/inference/semver.ts';
import { keyIdOf } from '../../provisioning/identity.ts';
import type { SyncLogger } from '../log.ts';
import {
  announcementSignatureMatches,
  chunkCount,
  deviceTopic,
  encodePayload,
  publishPolicy,
  publishProperties,
  isTargeted,
  parseChunkTopic,
  releaseAnnouncementV1Schema,
  releasePinV1Schema,
  releaseTopicFilters,
  type DeviceAddress,
  type ReleaseAnnouncementV1,
} from '../protocol/index.ts';
import { connectOnce, endOnce } from '../transport/connect-once.ts';
import { MqttConnection } from '../transport/connection.ts';
import { sleep, withTimeout } from '../transport/timeout.ts';
import type { SyncSettings } from './agent.ts';

/**
 * RELEASE_SIGNATURE_INVALID, RELEASE_PINNED, RELEASE_NOT_NEWER, RELEASE_ROLLED_BACK, RELEASE_NOT_AVAILABLE,
 * RELEASE_DOWNLOAD_FAILED, RELEASE_FILE_CORRUPT, or the model host's own code (e.g.
 * MODEL_GOLDEN_MISMATCH) when the load refuses the release.
 */
export type ReleaseRefusalCode = string;

export interface ReleaseOutcome {
  release: string;
  state: 'installed' | 'refused';
  code?: ReleaseRefusalCode;
  reason?: string;
  at: string;
}

export interface ReleaseFollowerDeps {
  settings: SyncSettings;
  identity: DeviceAddress;
  /** HQ's release public key, from provisioning. */
  releaseKey: KeyObject;
  /** The device's data folder: releases go to <data>/releases, HQ's pin to <data>/releases/pin.json. */
  dataDir: string;
  /** Where the bundled releases are (for a pin to one of them); default models/release. */
  bundledRoot?: string;
  models: {
    /** The model in use; null while none is loaded yet (or none could be). */
    current(): { name: string; version: string } | null;
    /**
     * Loads, checks (golden set) and swaps in the release at `dir`; throws a coded error to
     * refuse it. One HQ announced goes on probation; one it pinned does not.
     */
    install(dir: string, how: 'announcement' | 'pin'): Promise<void>;
    /** Hears of each release the device rolls back after it failed in service (device/daemon/release-guard.ts). */
    onRollback?(listener: (entry: RolledBackRelease) => void): () => void;
  };
  logger: SyncLogger;
  downloadTimeoutMs?: number;
  downloadAttempts?: number;
  modelWaitMs?: number;
}

/** JSON, then the schema; never throws. */
function parseMessage<T>(schema: z.ZodType<T>, payload: Buffer): { ok: true; value: T } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, reason: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
}

class RefusedError extends Error {
  constructor(
    readonly code: ReleaseRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

export class ReleaseFollower {
  private connection: MqttConnection | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** Releases already decided (installed or refused), so a retained announcement is not redone on every reconnect. */
  private readonly decided = new Set<string>();
  readonly outcomes: ReleaseOutcome[] = [];
  private stopping = false;
  private unsubscribeRollbacks: (() => void) | undefined;

  constructor(private readonly deps: ReleaseFollowerDeps) {}

  start(): void {
    if (this.connection) return;
    const { settings, identity, logger } = this.deps;
    this.stopping = false;
    this.connection = new MqttConnection({
      url: settings.brokerUrl,
      clientId: `loupe-${identity.storeId}-${identity.deviceId}-releases`,
      cleanStart: true,
      sessionExpiryS: 0,
      connectTimeoutMs: settings.connectTimeoutMs,
      operationTimeoutMs: settings.operationTimeoutMs,
      backoff: { baseMs: settings.backoff.baseMs, maxMs: settings.backoff.maxMs, minMs: Math.min(100, settings.backoff.baseMs) },
      subscriptions: [releaseTopicFilters.announcements, releaseTopicFilters.pins],
      username: settings.username ?? undefined,
      password: settings.password ?? undefined,
      logger,
      onOnline: () => this.enqueue(() => this.reportRollbacks()),
      onMessage: (topic, payload) => {
        if (payload.length === 0) return;
        const handler = topic.endsWith('/announce') ? this.handle : topic.endsWith('/pin') ? this.handlePin : undefined;
        if (!handler) return;
        this.enqueue(() => handler.call(this, topic, payload), topic);
      },
    });
    this.unsubscribeRollbacks = this.deps.models.onRollback?.(() => this.enqueue(() => this.reportRollbacks()));
    this.connection.start();
  }

  private enqueue(task: () => Promise<void>, topic?: string): void {
    this.queue = this.queue.then(task).catch((error) => this.deps.logger.error('release.failed', { topic, message: (error as Error).message }));
  }

  /**
   * Each release this device rolled back (rolled-back.json) that HQ has not heard of, as a refusal
   * with RELEASE_ROLLED_BACK, on every connect until a report goes through: a store offline at the
   * rollback tells HQ when it is back.
   */
  private async reportRollbacks(): Promise<void> {
    for (const entry of readRolledBack(this.deps.dataDir).filter((e) => !e.reported)) {
      this.decided.add(entry.release);
      const outcome: ReleaseOutcome = { release: entry.release, state: 'refused', code: entry.code, reason: entry.reason, at: entry.at };
      this.outcomes.push(outcome);
      if (await this.report(outcome)) markRolledBackReported(this.deps.dataDir, entry.release);
    }
  }

  async stop(): Promise<void> {
    this.unsubscribeRollbacks?.();
    this.unsubscribeRollbacks = undefined;
    this.stopping = true;
    await this.connection?.stop();
    this.connection = undefined;
    await this.queue;
  }

  /** Resolves once every announcement received so far has been handled (tests). */
  settled(): Promise<void> {
    return this.queue;
  }

  private async handle(topic: string, payload: Buffer): Promise<void> {
    const { logger } = this.deps;
    const parsed = parseMessage(releaseAnnouncementV1Schema, payload);
    if (!parsed.ok) {
      logger.warn('release.announcement_dropped', { topic, code: 'RELEASE_INVALID', reason: parsed.reason });
      return;
    }
    const announcement = parsed.value;
    const release = `${announcement.name}@${announcement.version}`;
    if (this.decided.has(release)) return;
    if (!isTargeted(announcement, this.deps.identity)) {
      this.decided.add(release);
      logger.info('release.not_targeted', { release });
      return;
    }
    try {
      await this.untilModelKnown();
      this.check(announcement);
      const contents = await this.download(announcement);
      const dir = this.write(announcement, contents);
      await this.install(dir, 'announcement').catch((error) => {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      });
      this.decide({ release, state: 'installed', at: new Date().toISOString() });
      logger.info('release.installed', { release, dir });
    } catch (error) {
      this.refuse(release, error, 'RELEASE_DOWNLOAD_FAILED', 'release.refused');
    }
  }

  /**
   * HQ's rollback: run the pinned version, which the device must already hold (received before,
   * or bundled), through the same load and golden check. A pin no newer than the last one taken
   * is ignored, so an old pin cannot be replayed.
   */
  private async handlePin(topic: string, payload: Buffer): Promise<void> {
    const { logger, dataDir } = this.deps;
    const parsed = parseMessage(releasePinV1Schema, payload);
    if (!parsed.ok) {
      logger.warn('release.pin_dropped', { topic, code: 'RELEASE_INVALID', reason: parsed.reason });
      return;
    }
    const pin = parsed.value;
    const release = `${pin.name}@${pin.version}`;
    const seen = `pin:${release}@${pin.issuedAt}`;
    if (this.decided.has(seen) || !isTargeted(pin, this.deps.identity)) return;
    this.decided.add(seen);
    const stored = readReleasePin(dataDir);
    if (stored && stored.name === pin.name && Date.parse(pin.issuedAt) <= Date.parse(stored.issuedAt)) {
      logger.info('release.pin_not_newer', { release, issuedAt: pin.issuedAt, taken: stored.issuedAt });
      return;
    }
    try {
      this.checkSignature(pin, 'pin');
      await this.untilModelKnown();
      const current = this.deps.models.current();
      if (!(current && current.name === pin.name && current.version === pin.version)) {
        const dir = releaseDirsNewestFirst([downloadedReleasesDir(dataDir), this.deps.bundledRoot ?? BUNDLED_RELEASES]).find((d) => basename(d) === `${pin.name}-${pin.version}`);
        if (!dir) throw new RefusedError('RELEASE_NOT_AVAILABLE', `HQ pinned ${release}, which this device does not hold (neither received nor bundled)`);
        await this.install(dir, 'pin');
      }
      writeReleasePin(dataDir, { name: pin.name, version: pin.version, issuedAt: pin.issuedAt });
      this.decide({ release, state: 'installed', reason: `pinned by HQ at ${pin.issuedAt}`, at: new Date().toISOString() });
      logger.info('release.pinned', { release, issuedAt: pin.issuedAt });
    } catch (error) {
      this.refuse(release, error, 'RELEASE_INSTALL_FAILED', 'release.pin_refused');
    }
  }

  /** The model host's load (with its golden check); its coded error becomes the refusal. */
  private async install(dir: string, how: 'announcement' | 'pin'): Promise<void> {
    try {
      await this.deps.models.install(dir, how);
    } catch (error) {
      const e = error as { code?: string; message?: string };
      throw new RefusedError(e.code ?? 'RELEASE_INSTALL_FAILED', e.message ?? String(error));
    }
  }

  private refuse(release: string, error: unknown, fallbackCode: string, event: string): void {
    if (this.stopping) return;
    const code = error instanceof RefusedError ? error.code : fallbackCode;
    const reason = (error as Error).message;
    this.decide({ release, state: 'refused', code, reason, at: new Date().toISOString() });
    this.deps.logger.error(event, { release, code, reason });
  }

  /**
   * At start the retained announcement can arrive before the model has loaded: wait for it, so
   * the newer-only rule compares with the model in use. A device whose model never loads
   * (after modelWaitMs) takes the release, newer or not: it has nothing better.
   */
  private async untilModelKnown(): Promise<void> {
    const deadline = Date.now() + (this.deps.modelWaitMs ?? 60_000);
    while (this.deps.models.current() === null && Date.now() < deadline && !this.stopping) await sleep(100);
  }

  private decide(outcome: ReleaseOutcome): void {
    this.decided.add(outcome.release);
    this.outcomes.push(outcome);
    void this.report(outcome);
  }

  /** The outcome, retained on the device's release topic, for HQ's device list; true once the broker has it. */
  private async report(outcome: ReleaseOutcome): Promise<boolean> {
    const { identity, logger } = this.deps;
    try {
      const payload = encodePayload('release', {
        schema: 'loupe.sync.release/v1',
        ...identity,
        release: outcome.release,
        state: outcome.state,
        ...(outcome.code && { code: outcome.code.slice(0, 64) }),
        ...(outcome.reason && { reason: outcome.reason.slice(0, 1000) }),
        at: outcome.at,
      });
      if (!this.connection) return false;
      await this.connection.publish(deviceTopic('release', identity), payload, { qos: 1, retain: publishPolicy.release.retain, properties: publishProperties('release') });
      return true;
    } catch (error) {
      logger.warn('release.report_failed', { release: outcome.release, message: (error as Error).message });
      return false;
    }
  }

  private checkSignature(message: { signature: ReleaseAnnouncementV1['signature'] }, what: string): void {
    const keyId = keyIdOf(this.deps.releaseKey);
    if (message.signature.keyId !== keyId || !announcementSignatureMatches(message, this.deps.releaseKey)) {
      throw new RefusedError('RELEASE_SIGNATURE_INVALID', `the ${what} is not signed by HQ's release key ${keyId} (signed as ${message.signature.keyId})`);
    }
  }

  private check(a: ReleaseAnnouncementV1): void {
    this.checkSignature(a, 'announcement');
    const pin = readReleasePin(this.deps.dataDir);
    if (pin && pin.name === a.name && Date.parse(a.publishedAt) <= Date.parse(pin.issuedAt)) {
      throw new RefusedError('RELEASE_PINNED', `HQ pinned ${pin.name}@${pin.version} at ${pin.issuedAt}; an announcement published before that (${a.publishedAt}) is not taken`);
    }
    const rolledBack = isRolledBack(this.deps.dataDir, `${a.name}@${a.version}`);
    if (rolledBack) {
      throw new RefusedError('RELEASE_ROLLED_BACK', `this device rolled ${rolledBack.release} back at ${rolledBack.at} (${rolledBack.reason}); it is not taken again`);
    }
    const current = this.deps.models.current();
    // No rollback by announcement: a device takes only a newer version of the model it runs.
    if (current && current.name === a.name && compareSemver(a.version, current.version) <= 0) {
      throw new RefusedError('RELEASE_NOT_NEWER', `${a.name}@${a.version} is not newer than ${current.name}@${current.version}, the model in use`);
    }
  }

  /** Every file's bytes, checked against the announcement. Retries keep the chunks already received. */
  private async download(a: ReleaseAnnouncementV1): Promise<Buffer[]> {
    const chunks = a.files.map((f) => new Array<Buffer | undefined>(chunkCount(f.bytes, a.chunkBytes)).fill(undefined));
    const missing = () => chunks.reduce((n, file) => n + file.filter((c) => c === undefined).length, 0);
    const attempts = this.deps.downloadAttempts ?? 3;
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= attempts && missing() > 0 && !this.stopping; attempt++) {
      try {
        await this.downloadOnce(a, chunks, missing);
      } catch (error) {
        lastError = error as Error;
        this.deps.logger.warn('release.download_interrupted', { release: `${a.name}@${a.version}`, attempt, missing: missing(), message: lastError.message });
        await sleep(Math.min(5000, 500 * attempt));
      }
    }
    if (missing() > 0) throw new RefusedError('RELEASE_DOWNLOAD_FAILED', `${missing()} chunks never arrived (${lastError?.message ?? 'stopped'})`);
    return a.files.map((f, i) => {
      const bytes = Buffer.concat(chunks[i] as Buffer[]);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (bytes.length !== f.bytes || sha256 !== f.sha256) {
        throw new RefusedError('RELEASE_FILE_CORRUPT', `${f.path}: ${bytes.length} bytes with sha256 ${sha256}, the announcement says ${f.bytes} bytes, ${f.sha256}`);
      }
      return bytes;
    });
  }

  private async downloadOnce(a: ReleaseAnnouncementV1, chunks: Array<Array<Buffer | undefined>>, missing: () => number): Promise<void> {
    const { settings } = this.deps;
    const timeoutMs = this.deps.downloadTimeoutMs ?? 120_000;
    const client = await connectOnce(
      {
        brokerUrl: settings.brokerUrl,
        clientId: `loupe-${this.deps.identity.storeId}-${this.deps.identity.deviceId}-download`,
        username: settings.username ?? undefined,
        password: settings.password ?? undefined,
      },
      settings.connectTimeoutMs,
    );
    try {
      const complete = new Promise<void>((resolve, reject) => {
        client.on('message', (topic, payload) => {
          const at = parseChunkTopic(topic, a.name, a.version);
          if (!at || at.file >= chunks.length || at.chunk >= chunks[at.file].length) return;
          chunks[at.file][at.chunk] = Buffer.from(payload);
          if (missing() === 0) resolve();
        });
        client.once('close', () => reject(new Error('the connection closed during the download')));
      });
      complete.catch(() => undefined); // awaited below only while chunks are missing
      await withTimeout(client.subscribeAsync(releaseTopicFilters.chunksOf(a.name, a.version), { qos: 1 }), settings.operationTimeoutMs, 'release chunk subscribe');
      if (missing() > 0) await withTimeout(complete, timeoutMs, 'release download');
    } finally {
      client.removeAllListeners('close');
      await endOnce(client);
    }
  }

  private write(a: ReleaseAnnouncementV1, contents: Buffer[]): string {
    const releasesDir = downloadedReleasesDir(this.deps.dataDir);
    const final = join(releasesDir, `${a.name}-${a.version}`);
    const staging = join(releasesDir, `.staging-${a.name}-${a.version}`);
    rmSync(staging, { recursive: true, force: true });
    a.files.forEach((f, i) => {
      const file = join(staging, f.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, contents[i]);
    });
    rmSync(final, { recursive: true, force: true });
    renameSync(staging, final);
    return final;
  }
}
