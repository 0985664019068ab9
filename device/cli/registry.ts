/** One table of CLI subcommands; each area registers its own from its own module. */
export interface Subcommand {
  /** e.g. "synth" or "hq serve" */
  name: string;
  summary: string;
  /** Loaded lazily so `loupe --help` does not load onnxruntime, sharp or sqlite. */
  load: () => Promise<{ run: (argv: string[]) => Promise<number | void> }>;
}

export const subcommands: Subcommand[] = [
  { name: 'synth', summary: 'render labelled synthetic diamonds (models/synth)', load: () => import('../../models/synth/cli.ts') },
  { name: 'synth sheet', summary: 'render the contact sheet PNG', load: () => import('../../models/synth/contact-sheet-cli.ts') },
  { name: 'model eval', summary: 'score a model release on fresh renders (models/eval)', load: () => import('../../models/eval/cli.ts') },
  { name: 'hq serve', summary: 'run an HQ ingest worker (cloud-sync/hq)', load: () => import('../../cloud-sync/hq/cli/serve.ts') },
  { name: 'hq devices', summary: 'list devices with status and backlog', load: () => import('../../cloud-sync/hq/cli/devices.ts') },
  { name: 'hq keys add', summary: 'trust a device signing key: --identity <its identity/device.json>', load: async () => ({ run: (await import('../../cloud-sync/hq/cli/keys.ts')).add }) },
  { name: 'hq keys list', summary: 'list the device keys HQ trusts or has revoked', load: async () => ({ run: (await import('../../cloud-sync/hq/cli/keys.ts')).list }) },
  { name: 'hq keys revoke', summary: 'stop trusting a device key (--store S --device D --key-id K)', load: async () => ({ run: (await import('../../cloud-sync/hq/cli/keys.ts')).revoke }) },
  { name: 'hq release keygen', summary: "make HQ's release signing key pair (--out DIR)", load: async () => ({ run: (await import('../../cloud-sync/hq/cli/release.ts')).keygen }) },
  { name: 'hq release publish', summary: 'announce a model release to the fleet over MQTT (--release DIR --key FILE)', load: async () => ({ run: (await import('../../cloud-sync/hq/cli/release.ts')).publish }) },
  { name: 'hq release status', summary: 'the rollout: per release, devices running, installed, rolled back, refused', load: async () => ({ run: (await import('../../cloud-sync/hq/cli/release.ts')).status }) },
  { name: 'hq release pin', summary: 'roll devices back (or forward) to a release they hold (--name N --version V --key FILE)', load: async () => ({ run: (await import('../../cloud-sync/hq/cli/release.ts')).pin }) },
  { name: 'identity', summary: "print the device's id, store and public signing key (for loupe hq keys add)", load: () => import('./identity.ts') },
  { name: 'hq grades', summary: 'list grades HQ holds for a store (--store S)', load: () => import('../../cloud-sync/hq/cli/grades.ts') },
  { name: 'calibrate', summary: 'measure mm per pixel from a reference disk on the tray', load: () => import('./calibrate.ts') },
  { name: 'serve', summary: 'run the device daemon: kiosk, API and sync on 127.0.0.1', load: () => import('./serve.ts') },
  { name: 'history', summary: 'list stored grades by day or id (device)', load: () => import('./history.ts') },
  { name: 'grade', summary: 'grade image files and store the signed records (device)', load: () => import('./grade.ts') },
  { name: 'bench', summary: 'run the benchmarks (device/bench/registry.ts): loupe bench [NAME...]', load: () => import('./bench.ts') },
];

/** Longest matching name wins, so "hq serve" beats "hq". */
export function findSubcommand(argv: string[]): { command: Subcommand; rest: string[] } | undefined {
  let best: { command: Subcommand; rest: string[] } | undefined;
  for (const command of subcommands) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.command.name.split(' ').length)) {
      best = { command, rest: argv.slice(words.length) };
    }
  }
  return best;
}
