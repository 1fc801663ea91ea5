import os from 'node:os';

/** One figure as a JSON line, so a run can be compared with the last one by a script. */
export function figure(name: string, value: number, unit: string, ratio?: number): void {
  console.log(JSON.stringify({ figure: name, value: Number(value.toFixed(4)), unit, ratio, cores: os.cpus().length }));
}
