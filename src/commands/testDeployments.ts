// "Test on object/file" deploys the current file under a temporary name. This remembers which text is running under
// which name per cluster, so a second test of an unchanged file skips the deploy.
import { createHash } from 'node:crypto';

export class TestDeployments {
  private readonly deployed = new Map<string, string>(); // `${cluster}/${etl}` → sha1 of the text deployed

  static hash(text: string): string { return createHash('sha1').update(text).digest('hex'); }

  isCurrent(cluster: string, etl: string, hash: string): boolean { return this.deployed.get(`${cluster}/${etl}`) === hash; }

  remember(cluster: string, etl: string, hash: string): void { this.deployed.set(`${cluster}/${etl}`, hash); }
}
