// Shared state of one local cluster, passed to the gateway, target and ETL/job handlers.
import type { Server } from 'node:http';
import { hrwSelect, uname, type HrwNode } from '../hrw';
import type { BucketRegistry } from '../storage/bmd';
import type { TargetStore } from '../storage/target-store';
import type { AisProfile } from '../version';

export interface TargetNode extends HrwNode {
  url: string;
  host: string;
  port: number;
  store: TargetStore;
  server?: Server;
}

export interface ClusterContext {
  proxyId: string;
  proxyUrl: string;
  host: string;
  port: number;
  dataDir: string;
  startedAt: number;
  targets: TargetNode[];
  bmd: BucketRegistry;
  /** The AIS release this cluster emulates: what it accepts and what its ETL containers receive. */
  ais: AisProfile;
  log(line: string): void;
}

export const DEPLOYMENT = 'aisetl-local';

export function ownerOf(ctx: ClusterContext, bucket: string, objName: string): TargetNode {
  return hrwSelect(ctx.targets, uname(bucket, objName));
}

export function targetById(ctx: ClusterContext, id: string): TargetNode | undefined {
  return ctx.targets.find((t) => t.id === id);
}
