/** A one-line progress bar for the terminal (plain lines when not a TTY). */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): (done: number, total: number) => void {
  const started = performance.now();
  let lastLine = 0;
  return (done, total) => {
    const now = performance.now();
    if (done < total && now - lastLine < (stream.isTTY ? 100 : 5000)) return;
    lastLine = now;
    const rate = done / ((now - started) / 1000);
    const eta = rate > 0 ? (total - done) / rate : 0;
    const width = 30;
    const filled = Math.round((done / total) * width);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${rate.toFixed(1)}/s eta ${eta.toFixed(0)}s`;
    stream.write(stream.isTTY ? `\r${line}${done === total ? '\n' : ''}` : `${line}\n`);
  };
}
