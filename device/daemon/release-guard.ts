/**
 * Keeps a release taken from HQ on probation (device/inference/probation.ts) and rolls it back
 * when it fails in service: the release it replaced is loaded again, the failed one is recorded in
 * <data>/releases/rolled-back.json (never taken or started on again) and its folder removed, and
 * listeners (the sync agent, which tells HQ) hear of it. Works offline: the decision is local.
 */
import { rmSync } from 'node:fs';
import { basename, relative, isAbsolute } from 'node:path';
import type { ModelHost, ModelInfo } from '../inference/model-host.ts';
import { beginProbation, recordInference, ROLLED_BACK_CODE, recordStart, type InferenceOutcome, type ProbationPolicy, type ProbationState, type ProbationVerdict } from '../inference/probation.ts';
import { addRolledBack, clearProbation, readProbation, readRolledBack, writeProbation, type RolledBackRelease } from '../inference/probation-store.ts';
import { downloadedReleasesDir } from '../inference/release.ts';
import type { Log } from './log.ts';

export interface ReleaseGuardDeps {
  dataDir: string;
  models: ModelHost;
  policy: ProbationPolicy;
  log: Log;
  /** Loads the start-up choice (which leaves rolled-back releases out), when the previous release will not load. */
  loadFallback(): Promise<unknown>;
}

const releaseOf = (info: Pick<ModelInfo, 'name' | 'version'>) => `${info.name}@${info.version}`;
/** <name>-<version>, as release folders are named (release.ts). */
const folderOf = (release: string) => release.replace(/@([^@]*)$/, '-$1');

export class ReleaseGuard {
  private state: ProbationState | null = null;
  private rollingBack: Promise<void> | undefined;
  private readonly listeners = new Set<(entry: RolledBackRelease) => void>();

  constructor(private readonly deps: ReleaseGuardDeps) {}

  /** probation.grades 0: nothing is put on probation or counted (a process other than the daemon). */
  private get active(): boolean {
    return this.deps.policy.grades > 0;
  }

  get onProbation(): Pick<ProbationState, 'release' | 'inferences' | 'failures'> | null {
    return this.state && { release: this.state.release, inferences: this.state.inferences, failures: { ...this.state.failures } };
  }

  /** Settles once a rollback under way has finished (tests, shutdown). */
  settled(): Promise<void> {
    return this.rollingBack ?? Promise.resolve();
  }

  onRollback(listener: (entry: RolledBackRelease) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Release folders without those this device rolled back. */
  withoutRolledBack(dirs: readonly string[]): string[] {
    const rolledBack = new Set(readRolledBack(this.deps.dataDir).map((e) => folderOf(e.release)));
    return dirs.filter((dir) => !rolledBack.has(basename(dir)));
  }

  /**
   * Before the start-up load: a release on probation whose last run did not stop cleanly counts a
   * crash, and enough of them roll it back before it is loaded again (so it is left out).
   */
  beforeStart(): void {
    const stored = readProbation(this.deps.dataDir);
    if (!stored || !this.active) return;
    const verdict = recordStart(stored, this.deps.policy);
    if (verdict.verdict !== 'failed') {
      writeProbation(this.deps.dataDir, verdict.state);
      return;
    }
    // Nothing runs it yet. HQ hears of it when the sync agent reports what rolled-back.json holds.
    this.markRolledBack(verdict.state, verdict.reason);
    this.removeReceivedFolder(verdict.state.dir);
  }

  /** After the start-up load: probation goes on only if the release on it is the one running. */
  afterStart(info: ModelInfo): void {
    if (!this.active) return;
    const stored = readProbation(this.deps.dataDir);
    if (stored && stored.dir === info.releaseDir) this.state = stored;
    else if (stored) {
      clearProbation(this.deps.dataDir);
      this.deps.log('release.probation-ended', { release: stored.release, reason: `the daemon started on ${releaseOf(info)} instead` });
    }
  }

  /**
   * A release from HQ's announcement now runs in place of `previousDir`. If that one was itself
   * still on probation, a rollback goes back past it, to the last release that was trusted.
   */
  begin(info: ModelInfo, previousDir: string | null): void {
    if (!this.active) return;
    const trusted = this.state && this.state.dir === previousDir ? this.state.previousDir : previousDir;
    this.state = beginProbation(releaseOf(info), info.releaseDir, trusted, new Date());
    writeProbation(this.deps.dataDir, this.state);
    this.deps.log('release.probation-started', { release: this.state.release, grades: this.deps.policy.grades, maxFailures: this.deps.policy.maxFailures });
  }

  /** HQ's pin (or an operator) chose the release: nothing to roll back to. */
  end(): void {
    this.state = null;
    clearProbation(this.deps.dataDir);
  }

  /** One inference of a grade on the release at `releaseDir`. */
  record(releaseDir: string, outcome: InferenceOutcome): void {
    const state = this.state;
    if (!state || state.dir !== releaseDir || this.rollingBack) return;
    this.apply(recordInference(state, this.deps.policy, outcome));
  }

  /** At a clean stop: the run on the release on probation did not crash. */
  stoppedCleanly(): void {
    if (this.active && this.state) writeProbation(this.deps.dataDir, { ...this.state, running: false });
  }

  private apply(verdict: ProbationVerdict): void {
    if (verdict.verdict === 'on-probation') {
      this.state = verdict.state;
      writeProbation(this.deps.dataDir, verdict.state);
    } else if (verdict.verdict === 'passed') {
      this.state = null;
      clearProbation(this.deps.dataDir);
      this.deps.log('release.probation-passed', { release: verdict.state.release, inferences: verdict.state.inferences, failures: verdict.state.failures });
    } else {
      this.state = null;
      this.rollingBack = this.rollBack(verdict.state, verdict.reason).finally(() => {
        this.rollingBack = undefined;
      });
    }
  }

  private async rollBack(state: ProbationState, reason: string): Promise<void> {
    const entry = this.markRolledBack(state, reason);
    try {
      if (!state.previousDir) throw new Error('no release ran before it');
      await this.deps.models.load(state.previousDir);
    } catch (error) {
      this.deps.log('release.rollback-previous-failed', { release: state.release, previousDir: state.previousDir, message: (error as Error).message });
      await this.deps.loadFallback().catch((fallbackError: unknown) => this.deps.log('release.rollback-fallback-failed', { message: (fallbackError as Error).message }));
    }
    this.removeReceivedFolder(state.dir);
    this.deps.log('release.rolled-back', { release: state.release, code: ROLLED_BACK_CODE, reason, now: this.deps.models.info()?.version ?? null });
    for (const listener of this.listeners) listener(entry);
  }

  /** Recorded first, so that a crash in the middle of the rollback still never starts on it again. */
  private markRolledBack(state: ProbationState, reason: string): RolledBackRelease {
    const entry: RolledBackRelease = { release: state.release, code: ROLLED_BACK_CODE, reason, at: new Date().toISOString(), reported: false };
    addRolledBack(this.deps.dataDir, entry);
    clearProbation(this.deps.dataDir);
    this.deps.log('release.rollback', { release: state.release, reason });
    return entry;
  }

  /** Only a folder HQ sent is removed; a bundled release stays where it is. */
  private removeReceivedFolder(dir: string): void {
    const inside = relative(downloadedReleasesDir(this.deps.dataDir), dir);
    if (inside && !inside.startsWith('..') && !isAbsolute(inside)) rmSync(dir, { recursive: true, force: true });
  }
}
