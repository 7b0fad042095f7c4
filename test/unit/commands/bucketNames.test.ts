import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBucketName } from '../../../src/commands/bucketNames';

const err = (v: string, existing: string[] = []) => {
  const c = checkBucketName(v, existing, 'local');
  return c && 'error' in c ? c.error : undefined;
};

test('each broken rule is named in words about the text typed', () => {
  assert.equal(err('ais://my-bucket'), 'Omit ais:// — type just the name (my-bucket)');
  assert.equal(err('s3://b/x'), 'Omit s3:// — type just the name (b)');
  assert.match(err('a/b') ?? '', /no "\/"/);
  assert.match(err('my bucket') ?? '', /No spaces/);
  assert.match(err('a..b') ?? '', /No "\.\."/);
  assert.match(err('bad$name') ?? '', /^Bucket name is invalid: may only contain letters/);
});

test('an existing bucket is reported while typing; a free valid name passes', () => {
  assert.equal(err('transform', ['transform']), 'Bucket transform already exists on local');
  assert.equal(checkBucketName('transform-md5', ['transform'], 'local'), undefined);
});
