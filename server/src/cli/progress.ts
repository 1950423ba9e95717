import cliProgress from 'cli-progress';

/**
 * A progress bar for long work on a terminal; on a pipe (CI, logs) a line every 10 %.
 */
export function createProgress(title: string) {
  const tty = Boolean(process.stderr.isTTY);
  let bar: cliProgress.SingleBar | null = null;
  let lastPhase = '';
  let lastTenth = -1;
  return {
    update(phase: string, value: number, total: number) {
      if (tty) {
        if (phase !== lastPhase) {
          bar?.stop();
          bar = new cliProgress.SingleBar(
            {
              format: `${title}·${phase} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
              hideCursor: true,
              stream: process.stderr,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, 0);
          lastPhase = phase;
        }
        bar!.setTotal(Math.max(total, value));
        bar!.update(value);
        return;
      }
      const tenth = Math.floor((value / Math.max(total, 1)) * 10);
      if (phase !== lastPhase || tenth !== lastTenth) {
        lastPhase = phase;
        lastTenth = tenth;
        process.stderr.write(`${title}·${phase} ${Math.min(100, tenth * 10)}% (${value}/${total})\n`);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
