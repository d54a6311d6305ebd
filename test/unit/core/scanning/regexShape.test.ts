import * as assert from 'node:assert/strict';
import { exponentialBacktracking } from '../../../../src/core/scanning/regexShape';

describe('regex shape (ReDoS)', () => {
  it('reports repeated groups whose iterations can split the same text several ways', () => {
    for (const p of [
      '(a+)+',
      '^(\\w+\\s?)*$',
      '^([a-z0-9]+-?)+$',
      '\\A([a-z0-9]+[-_]?)*[a-z0-9]\\z',
      '^([a-zA-Z0-9_.+-]+)*@example\\.com$',
      '^(([a-z])+.)+[A-Z]([a-z])+$',
      '(x+x+)+y',
      '(.*a){3,}',
      '^(\\d+)*$',
    ])
      assert.equal(exponentialBacktracking(p), true, p);
  });

  it('accepts loops delimited by a character the inner repetition cannot match', () => {
    for (const p of [
      '^[a-z0-9]+(?:-[a-z0-9]+)*$',
      '^\\w+(?: \\w+)*$',
      '^(/[a-zA-Z0-9_.-]+)*/?$',
      '^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*\\.[a-zA-Z]{2,}$',
      '^(\\d+\\.)+\\d+$',
      '^([a-z]+-)*[a-z]+$',
      '(?>a+)+',
      '(ab)+',
      '^[a-z]+$',
    ])
      assert.equal(exponentialBacktracking(p), false, p);
  });

  it('a delimiter the inner loop can also consume does not make it safe', () => {
    assert.equal(exponentialBacktracking('^(?:-[a-z0-9-]+)*$'), true);
    assert.equal(exponentialBacktracking('^(?:\\.\\S+)*$'), true);
  });

  it('a delimited loop next to an unbounded atom that can eat whole iterations is still reported', () => {
    assert.equal(exponentialBacktracking('^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}(?:\\.[a-zA-Z]{2,})*$'), true);
    // A mandatory '@' between them is a barrier: the loop's text cannot contain it.
    assert.equal(exponentialBacktracking('^[a-z.]+@[a-z]+(?:\\.[a-z]+)*$'), false);
  });

  it('judges a pattern still written with its string literal escaping', () => {
    assert.equal(exponentialBacktracking('^(\\\\d+)*$'), true);
    assert.equal(exponentialBacktracking('^\\\\w+(?: \\\\w+)*$'), false);
  });

  it('falls back to the nested-quantifier shape on patterns it cannot parse', () => {
    assert.equal(exponentialBacktracking('((a+)+'), true);
    assert.equal(exponentialBacktracking('(?<x)(a)+'), false);
  });
});
