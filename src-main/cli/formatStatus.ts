import type { DatasetProgress, DatasetStatus, SplitInfo } from '../../src-shared/dataset';
import { BUILD_NATIVE_HINT, type EngineStatus } from '../../src-shared/engine';
import { formatBytes, formatDuration } from '../../src-shared/format';

const int = (n: number): string => n.toLocaleString('en');

function split(info: SplitInfo, names: string[]): string {
  return `${int(info.records)} images — ${info.perClass.map((c, i) => `${names[i] ?? i} ${int(c)}`).join(' · ')}`;
}

/** The dataset status as the lines `workbench data status` prints. */
export function formatStatus(s: DatasetStatus): string {
  const source = s.source
    ? s.source.official
      ? 'official CIFAR-10 archive (size and MD5 match)'
      : s.source.kind === 'import-folder'
        ? 'unofficial copy (imported from a folder)'
        : `unofficial copy, archive sha256 ${s.source.archiveSha256}`
    : null;
  const lines = [`Dataset: ${s.state}${source ? ` — ${source}` : ''}`];
  if (s.detail) lines.push(`  Note:    ${s.detail}`);
  lines.push(`  Home:    ${s.home}`, `  Cache:   ${s.cacheDir}`);
  if (s.source) lines.push(`  From:    ${s.source.location} (${s.source.kind}, ${s.createdAt})`);
  if (s.train) lines.push(`  Train:   ${split(s.train, s.classNames)}`);
  if (s.test) lines.push(`  Test:    ${split(s.test, s.classNames)}`);
  for (const f of s.files) lines.push(`  ${f.name.padEnd(18)} ${formatBytes(f.bytes).padStart(9)}  sha256 ${f.sha256}`);
  if (s.partialDownloadBytes > 0) lines.push(`  Partial download: ${formatBytes(s.partialDownloadBytes)} (a new download resumes from it)`);
  if (s.state === 'absent') lines.push('  Get it with: workbench data download   or   workbench data import <cifar-10-binary.tar.gz>');
  return lines.join('\n');
}

/** The line `workbench data status` ends with: which kernels training uses, and on the fallback what to do. */
export function formatEngine(e: EngineStatus): string {
  return `  Kernels: ${e.message}${e.nativeAvailable ? '' : ` To use the native kernels, ${BUILD_NATIVE_HINT}.`}`;
}

/** The label of a progress bar for a dataset operation. */
export function progressLabel(p: DatasetProgress): string {
  const amount = p.total ? `${formatBytes(p.bytes)} / ${formatBytes(p.total)}` : formatBytes(p.bytes);
  return `${p.phase} ${amount} · ${formatBytes(p.rate)}/s${p.etaSeconds !== null ? ` · ${formatDuration(p.etaSeconds)} left` : ''}`;
}
