import { findSubcommand, subcommands } from './registry.ts';

function usage(): string {
  const width = Math.max(...subcommands.map((c) => c.name.length));
  return ['usage: loupe <command> [options]', '', ...subcommands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)].join('\n');
}

const argv = process.argv.slice(2);
if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
  console.log(usage());
  process.exit(0);
}
const found = findSubcommand(argv);
if (!found) {
  console.error(`loupe: unknown command "${argv.join(' ')}"\n\n${usage()}`);
  process.exit(2);
}
try {
  const module = await found.command.load();
  const code = await module.run(found.rest);
  if (typeof code === 'number' && code !== 0) process.exitCode = code;
} catch (error) {
  const err = error as { code?: string; message?: string };
  console.error(`loupe ${found.command.name}: ${err.code ? `[${err.code}] ` : ''}${err.message ?? String(error)}`);
  process.exitCode = 1;
}
