/**
 * Every API channel, by name. Kept free of dependencies so the sandboxed preload can derive its
 * bridge from it; src-shared/api.ts checks that it has a schema and a response type for each.
 */
export const CHANNEL_NAMES = [
  'data/status',
  'data/download',
  'data/import',
  'data/cancel',
  'data/verify',
  'data/image',
  'data/samples',
  'experiments/preview',
  'experiments/create',
  'experiments/list',
  'experiments/get',
  'experiments/results',
  'experiments/compare',
  'runs/compare',
  'experiments/cancel',
  'runs/list',
  'runs/page',
  'runs/ids',
  'runs/tag',
  'runs/requeueMany',
  'runs/delete',
  'runs/restore',
  'runs/purge',
  'runs/annotate',
  'experiments/annotate',
  'experiments/delete',
  'runs/get',
  'runs/cancel',
  'runs/requeue',
  'queue/status',
  'queue/pause',
  'queue/resume',
  'engine/status',
  'runs/resume',
  'experiments/resume',
  'settings/get',
  'settings/set',
  'files/usage',
  'runs/insights',
  'runs/misclassified',
  'runs/firstLayer',
  'runs/exportModel',
  'experiments/estimate',
  'queue/estimate',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** Events pushed from main, by name. */
export const EVENT_NAMES = ['data/progress', 'run/progress', 'run/epoch', 'run/state', 'store/failure'] as const;
export type EventNameList = (typeof EVENT_NAMES)[number];

/** The IPC channel events travel on (one channel, the event name inside the message). */
export const EVENT_CHANNEL = 'workbench:event';
