import * as assert from 'node:assert/strict';
import type { Node } from 'web-tree-sitter';
import { DemandEnv } from '../../../../src/core/scanning/env';
import { createParserHost, type ParserHost } from '../../../../src/core/scanning/parserHost';
import { DIALECTS } from '../../../../src/core/scanning/syntax';

describe('DemandEnv.functionOf', () => {
  let host: ParserHost;
  before(() => {
    host = createParserHost();
  });
  after(() => host.dispose());

  const find = (n: Node, pred: (x: Node) => boolean): Node | undefined => {
    if (pred(n)) return n;
    for (const c of n.namedChildren) {
      const r = c && find(c, pred);
      if (r) return r;
    }
    return undefined;
  };

  it('answers the innermost function whatever was asked before (no call-order dependence)', async () => {
    const code = 'def outer():\n    def inner():\n        x = 1\n        return x\n    return inner\n';
    const parser = await host.parserFor('python');
    const tree = parser.parse(code)!;
    try {
      const inner = find(tree.rootNode, (n) => n.type === 'function_definition' && n.childForFieldName('name')?.text === 'inner')!;
      const outer = find(tree.rootNode, (n) => n.type === 'function_definition' && n.childForFieldName('name')?.text === 'outer')!;
      const use = find(inner, (n) => n.type === 'return_statement')!;
      const env = new DemandEnv(tree, code, DIALECTS.python, 'python');
      // Asking for the function around `inner` first caches `outer` for the inner definition node.
      assert.equal(env.functionOf(inner)?.id, outer.id);
      assert.equal(env.functionOf(use)?.id, inner.id);
      assert.equal(new DemandEnv(tree, code, DIALECTS.python, 'python').functionOf(use)?.id, inner.id);
    } finally {
      tree.delete();
    }
  });
});
