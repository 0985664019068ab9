/**
 * Where a drained grade's time goes, measured stage by stage on the same kind of data in the
 * same run, in µs per grade: the stage that costs most bounds the pipeline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { encodeBatch, planBatch } from '../agent/batch-builder.ts';
import { checkSignatures, PublicKeyCache } from '../hq/signatures.ts';
import { SqliteHqStore } from '../hq/store/sqlite-store.ts';
import { decodeMessage, deviceTopic, splitBatchRecords } from '../protocol/index.ts';
import { withTimeout } from '../transport/timeout.ts';
import { fillBacklog } from './backlog.ts';
import { testSigningKey } from './synthetic-records.ts';

export interface StageCost {
  stage: string;
  usPerGrade: number;
  what: string;
}

const us = (ms: number, grades: number) => Math.round((ms * 1000) / grades * 10) / 10;

export async function measureStages(brokerUrl: string, batchSize: number, batches = 20): Promise<StageCost[]> {
  const address = { storeId: 'bench', deviceId: 'bench-breakdown' };
  const n = batchSize * batches;
  const key = testSigningKey();
  const device = fillBacklog(n, address, key);
  const costs: StageCost[] = [];
  try {
    let t = performance.now();
    const peeked = [];
    for (let b = 0; b < batches; b++) peeked.push(device.outbox.peek(batchSize));
    costs.push({ stage: 'device: outbox peek', usPerGrade: us(performance.now() - t, n), what: 'SQLite read + JSON.parse of record_json' });

    t = performance.now();
    const payloads = peeked.map((entries) => {
      const plan = planBatch(entries, { maxRecords: batchSize, maxBytes: 8 * 1024 * 1024 })!;
      return encodeBatch({ batchId: plan.batchId, ...address, sentAt: new Date().toISOString(), attempt: 1, seqs: plan.seqs }, plan.recordJson);
    });
    costs.push({ stage: 'device: encode batch', usPerGrade: us(performance.now() - t, n), what: 'JSON.stringify + envelope check' });

    const topic = deviceTopic('grades', address);
    t = performance.now();
    const decoded = payloads.map((p) => {
      const d = decodeMessage('grades', topic, p);
      if (!d.ok) throw d.error;
      return { batch: d.value, ...splitBatchRecords(d.value) };
    });
    costs.push({ stage: 'HQ: decode + validate', usPerGrade: us(performance.now() - t, n), what: 'JSON.parse + zod (envelope and each §3 record)' });

    const registered = [{ ...address, keyId: key.keyId, publicKeyPem: key.publicKeyPem, addedAt: new Date().toISOString(), revokedAt: null }];
    const publicKeys = new PublicKeyCache();
    t = performance.now();
    for (const d of decoded) {
      const checked = checkSignatures(d.accepted, registered, publicKeys);
      if (checked.rejected.length > 0) throw new Error(`bench: ${checked.rejected.length} records failed verification: ${checked.rejected[0].reason}`);
    }
    costs.push({ stage: 'HQ: verify signatures', usPerGrade: us(performance.now() - t, n), what: 'canonical JSON + ed25519 verify per record' });

    for (const synchronous of ['FULL', 'NORMAL'] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-hq-'));
      const store = new SqliteHqStore(join(dir, 'hq.db'), { synchronous });
      await store.open();
      t = performance.now();
      for (const d of decoded) await store.commitBatch({ batchId: d.batch.batchId, ...address, records: d.accepted, receivedAt: new Date().toISOString() });
      costs.push({
        stage: `HQ: SQLite commit (${synchronous})`,
        usPerGrade: us(performance.now() - t, n),
        what: synchronous === 'FULL' ? 'upsert + fsync per batch (what HQ runs)' : 'same without the fsync: the gap is the fsync',
      });
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }

    costs.push({ stage: 'broker: QoS 1 round trip', usPerGrade: await brokerCost(brokerUrl, payloads, n), what: 'publish → Mosquitto → subscriber, pipelined' });

    const ids = peeked.map((entries) => entries.map((e) => e.recordId));
    t = performance.now();
    for (const batchIds of ids) device.outbox.acknowledge(batchIds);
    costs.push({ stage: 'device: outbox acknowledge', usPerGrade: us(performance.now() - t, n), what: 'DELETE + fsync per batch (synchronous=FULL)' });
  } finally {
    device.close();
    rmSync(device.dataDir, { recursive: true, force: true });
  }
  return costs;
}

async function brokerCost(url: string, payloads: Buffer[], grades: number): Promise<number> {
  const topic = `loupe/bench/raw/${process.pid}`;
  const sub = mqtt.connect(url, { protocolVersion: 5, clean: true, reconnectPeriod: 0 });
  const pub = mqtt.connect(url, { protocolVersion: 5, clean: true, reconnectPeriod: 0 });
  try {
    await withTimeout(Promise.all([new Promise((r) => sub.once('connect', r)), new Promise((r) => pub.once('connect', r))]), 10_000, 'bench connect');
    await withTimeout(sub.subscribeAsync(topic, { qos: 1 }), 5000, 'bench subscribe');
    let received = 0;
    const all = new Promise<void>((resolve) => sub.on('message', () => ++received === payloads.length && resolve()));
    const t = performance.now();
    await withTimeout(Promise.all(payloads.map((p) => pub.publishAsync(topic, p, { qos: 1 }))), 60_000, 'bench publish');
    await withTimeout(all, 60_000, 'bench receive');
    return us(performance.now() - t, grades);
  } finally {
    sub.end(true);
    pub.end(true);
  }
}
